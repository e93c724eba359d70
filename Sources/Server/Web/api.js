// The livetrain REST API (docs/openapi.yaml) as small async functions. With an API token every /api
// call carries it as `Authorization: Bearer` (only EventSource, which cannot set headers, passes
// `?token=`); signed in by name and password, the browser's session cookie goes along by itself and
// every write carries the session's CSRF token in `X-CSRF-Token`.

/** An API failure with the reason from the server's {"error": "..."} body. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export class Api {
  /** `token`: an API token, or null to work by the session cookie (`csrf` from signIn or session()). */
  constructor(token, csrf = null) {
    this.token = token;
    this.csrf = csrf;
  }

  /** Signs in by name and password: the reply sets the session cookie; returns { account, csrfToken }. */
  static async signIn(name, password) {
    const api = new Api(null);
    const session = await api.request('POST', '/api/session', { name, password });
    return session;
  }

  async request(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await this.send(path, init);
    if (response.status === 204) return null;
    return response.json();
  }

  /** fetch with the token (or the CSRF token on a cookie write); a non-2xx reply throws an ApiError. */
  async send(path, init) {
    init.headers = { ...init.headers, ...this.authHeaders(init.method || 'GET') };
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, `cannot reach the server (${e.message}); nothing was saved by this request`);
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  authHeaders(method) {
    if (this.token) return { Authorization: `Bearer ${this.token}` };
    if (this.csrf && method !== 'GET' && method !== 'HEAD') return { 'X-CSRF-Token': this.csrf };
    return {};
  }

  me() { return this.request('GET', '/api/me'); }
  accounts() { return this.request('GET', '/api/accounts').then((r) => r.accounts); }
  createAccount(name, password, admin) { return this.request('POST', '/api/accounts', { name, password, admin }); }
  setDisabled(account, disabled) { return this.request('PUT', `/api/accounts/${account}/disabled`, { disabled }); }
  session() { return this.request('GET', '/api/session'); }
  signOut() { return this.request('DELETE', '/api/session'); }
  members(p) { return this.request('GET', `/api/projects/${p}/members`).then((r) => r.members); }
  setMember(p, name, role) { return this.request('PUT', `/api/projects/${p}/members`, { name, role }); }
  removeMember(p, account) { return this.request('DELETE', `/api/projects/${p}/members/${account}`); }
  projects() { return this.request('GET', '/api/projects').then((r) => r.projects); }
  project(p) { return this.request('GET', `/api/projects/${p}`); }
  createProject(spec) { return this.request('POST', '/api/projects', spec); }
  deleteProject(p) { return this.request('DELETE', `/api/projects/${p}`); }
  image(p, i) { return this.request('GET', `/api/projects/${p}/images/${i}`); }
  next(p, after) {
    const q = after == null ? '' : `?after=${after}`;
    return this.request('GET', `/api/projects/${p}/images/next${q}`);
  }
  open(p, i) { return this.request('POST', `/api/projects/${p}/images/${i}/open`); }
  annotation(p, i) { return this.request('GET', `/api/projects/${p}/images/${i}/annotation`); }
  submit(p, i, body) { return this.request('PUT', `/api/projects/${p}/images/${i}/annotation`, body); }
  skip(p, i) { return this.request('POST', `/api/projects/${p}/images/${i}/skip`); }
  /** Takes or renews this annotator's lease on an open image (409 when someone else holds it). */
  lease(p, i) { return this.request('POST', `/api/projects/${p}/images/${i}/lease`); }
  release(p, i) { return this.request('DELETE', `/api/projects/${p}/images/${i}/lease`); }
  /** Releases a lease while the page goes away: a keepalive request outlives the page. */
  releaseOnLeave(p, i) {
    try {
      fetch(`/api/projects/${p}/images/${i}/lease`, { method: 'DELETE', keepalive: true, headers: { Authorization: `Bearer ${this.token}` } });
    } catch {
      // The lease expires by itself.
    }
  }
  reviewNext(p) { return this.request('GET', `/api/projects/${p}/review/next`); }
  /** `decision` is 'accept' or 'return' (a return needs a comment); `version` is the one reviewed. */
  review(p, i, body) { return this.request('POST', `/api/projects/${p}/images/${i}/review`, body); }
  annotationTimes(p) { return this.request('GET', `/api/projects/${p}/annotation-times`).then((r) => r.times); }
  status(p) { return this.request('GET', `/api/projects/${p}/status`); }
  evaluations(p) { return this.request('GET', `/api/projects/${p}/evaluations`).then((r) => r.evaluations); }

  /** Adds one image file (the body is the file itself; `?name=` keeps its original name). */
  async uploadImage(p, file) {
    const init = { method: 'POST', headers: { 'Content-Type': file.type || 'application/octet-stream' }, body: file };
    const response = await this.send(`/api/projects/${p}/images?name=${encodeURIComponent(file.name)}`, init);
    return response.json();
  }

  /**
   * An export (`coco`, `yolo`, `voc` or `model`) as { blob, name }, the name from Content-Disposition;
   * `withImages` packs the images too (a ZIP for every format then).
   */
  async exportFile(p, kind, withImages = false) {
    const query = withImages ? '?images=true' : '';
    const response = await this.send(`/api/projects/${p}/export/${kind}${query}`, { method: 'GET' });
    const disposition = response.headers.get('Content-Disposition') || '';
    const json = kind === 'coco' && !withImages;
    const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] || `project-${p}-${kind}${json ? '.json' : '.zip'}`;
    return { blob: await response.blob(), name };
  }

  /** The image's pixels as a decoded bitmap-like object (HTMLImageElement). */
  async imageElement(path) {
    let response;
    try {
      response = await fetch(path, { headers: this.authHeaders('GET') });
    } catch (e) {
      throw new ApiError(0, `cannot reach the server (${e.message})`);
    }
    if (!response.ok) throw await errorFrom(response);
    const url = URL.createObjectURL(await response.blob());
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      return img;
    } catch {
      throw new ApiError(0, 'the browser could not decode this image');
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  /** Live state of a project as server-sent events; returns the EventSource (close() to stop). */
  events(p, onStatus, onConnection) {
    const query = this.token ? `?token=${encodeURIComponent(this.token)}` : '';
    const source = new EventSource(`/api/projects/${p}/events${query}`);
    source.addEventListener('status', (e) => {
      try {
        onStatus(JSON.parse(e.data));
      } catch {
        // A malformed event is skipped; the next one carries the whole state again.
      }
    });
    source.onopen = () => onConnection(true);
    source.onerror = () => onConnection(false);
    return source;
  }
}

async function errorFrom(response) {
  let reason = response.statusText || 'request failed';
  try {
    const body = await response.json();
    if (body && typeof body.error === 'string') reason = body.error;
  } catch {
    // Not JSON (e.g. a proxy's page): keep the status text.
  }
  return new ApiError(response.status, reason);
}
