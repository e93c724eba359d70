// The labelling app: sign-in, project choice, and the wiring of the labelling loop, the panels,
// the toolbar and the shortcuts around the canvas editor.

import { Api } from './api.js';
import { takeToken, storeToken, forgetToken } from './token.js';
import { Editor } from './editor.js';
import { labellingLoop, followModelKey, followsModel } from './labelling.js';
import { bindShortcuts, renderHelp } from './shortcuts.js';
import { toast } from './panels/toast.js';
import { renderProjectPicker, renderProgress } from './panels/projects.js';
import { bindProjectDialog } from './panels/projectDialog.js';
import { bindAccountsDialog } from './panels/accountsDialog.js';
import { createSidebar } from './panels/sidebar.js';
import { MetricsPanel } from './panels/metrics.js';

const $ = (id) => document.getElementById(id);

/** The session: who, which project and image, and the labelling loop's bookkeeping. */
const app = {
  api: null,
  me: null, // the signed-in account
  projects: [],
  project: null,
  image: null, // the open image (API JSON)
  modelStep: null, // the live model's step behind the shown pre-label
  opening: null, // the open that recorded the shown pre-label; the submit names it
  visited: [],
  loadSeq: 0,
  submitting: false,
  confirmSubmitUntil: 0,
  confirmLeaveUntil: 0,
  busy: 0, // requests in flight that change what is shown (tests wait for 0)
  mode: 'annotate', // or 'review': images come from the review queue
  lease: null, // this annotator's lease on the open image (API JSON), renewed while it is open
  leaseTimer: null,
  timer: null, // active time on the open image (ActiveTimer)
  returned: null, // the reviewer's note when `next` handed back a returned image
  annotation: null, // the open image's saved annotation, if any
};

const editor = new Editor($('canvas'), { onChange: (what) => sidebar.onChange(what), notify: (m, kind) => toast(m, kind) });
const sidebar = createSidebar(app, editor);
const { stageMessage } = sidebar;
const metrics = new MetricsPanel($('metrics-panel'), { onProgress: (c) => renderProgress($('progress'), c) });
const loop = labellingLoop(app, editor, {
  thresholdFor: sidebar.thresholdFor,
  suggestMinScore: sidebar.suggestMinScore,
  imageOpened: (reply) => {
    if (reply) writeHash();
    sidebar.renderImageInfo(reply);
  },
  stageMessage,
  changed: sidebar.onChange,
  submitting: (on) => {
    $('btn-submit').disabled = on;
  },
  progress: (counts) => renderProgress($('progress'), counts),
  signIn: (reason) => showLogin(reason),
  review: renderReview,
  submitted: () => metrics.refreshTimes(),
  trainerStep: () => metrics.lastStatus?.step ?? null,
});
const { goNext, openImage, submit, skip, next, prev } = loop;

/** The review panel: a reviewer's accept/return controls, or the comment on an image returned to you. */
function renderReview(note) {
  const panel = $('review-panel');
  panel.hidden = !note;
  $('review-controls').hidden = note?.mode !== 'review';
  const text = $('review-note');
  if (!note) return (text.textContent = '');
  if (note.mode === 'returned') {
    panel.dataset.mode = 'returned';
    $('review-title').textContent = 'Returned to you';
    text.textContent = `${note.reviewer || 'A reviewer'}: ${note.comment}`;
  } else {
    panel.dataset.mode = 'review';
    $('review-title').textContent = 'Review';
    const a = note.annotation;
    text.textContent = a ? `Submitted by ${a.updatedBy}${a.reviewComment ? ` · last comment: ${a.reviewComment}` : ''}. Edit if needed, then accept or return.` : 'Not labelled yet.';
    $('review-comment').value = '';
  }
}

// ---- start -----------------------------------------------------------------------------------

// A token from the login link (or saved from one) wins; otherwise the session cookie of an earlier
// sign-in by name and password; otherwise the sign-in form.
async function start() {
  const token = takeToken();
  app.api = new Api(token);
  try {
    if (token) {
      app.me = await app.api.me();
    } else {
      const session = await app.api.session();
      app.me = session.account;
      app.api.csrf = session.csrfToken;
    }
  } catch (e) {
    if (e.status === 401) {
      if (token) forgetToken();
      return showLogin(token ? `The saved token was refused: ${e.message}.` : '');
    }
    return stageMessage(`Cannot reach the livetrain server: ${e.message}`);
  }
  showWho();
  await loadProjects();
}

function showWho() {
  $('who').textContent = app.me ? app.me.name : '';
  $('btn-signout').hidden = !app.me;
  $('btn-accounts').hidden = !app.me?.admin;
}

function showLogin(reason = '') {
  $('login').hidden = false;
  $('login-error').textContent = reason;
  $('login-name').focus();
  stageMessage('Sign in to start labelling.');
}

/** Signs in from the form: by name and password (a session cookie), or with a pasted API token. */
async function signIn() {
  const name = $('login-name').value.trim();
  const password = $('login-password').value;
  const token = $('login-token').value.trim();
  let api;
  if (name && password) {
    try {
      const session = await Api.signIn(name, password);
      api = new Api(null, session.csrfToken);
      app.me = session.account;
    } catch (e) {
      $('login-error').textContent = e.status === 401 || e.status === 429 ? e.message : `Could not sign in: ${e.message}`;
      return;
    }
    forgetToken(); // a token saved earlier would otherwise win at the next start
  } else if (token) {
    storeToken(token);
    api = new Api(token);
    app.me = await api.me().catch(() => null);
  } else {
    $('login-error').textContent = 'Give a name and password, or an API token.';
    return;
  }
  $('login').hidden = true;
  for (const id of ['login-name', 'login-password', 'login-token']) $(id).value = '';
  showWho();
  if (app.api && app.project) {
    // Signed in again mid-session: keep the open image and its unsubmitted labels.
    app.api.token = api.token;
    app.api.csrf = api.csrf;
    metrics.follow(app.api, app.project);
    toast('Signed in. Submit again when ready.', 'ok');
    return;
  }
  start();
}

async function signOut() {
  if (!loop.confirmLeave('sign out')) return;
  try {
    if (!app.api.token) await app.api.signOut();
  } catch {
    // Already signed out on the server (expired): the page signs out all the same.
  }
  forgetToken();
  metrics.stop();
  editor.clear();
  Object.assign(app, { api: null, me: null, projects: [], project: null, image: null });
  renderProjectPicker($('project-select'), [], null, () => {});
  showWho();
  showLogin();
}

async function loadProjects() {
  try {
    app.projects = await app.api.projects();
  } catch (e) {
    return stageMessage(`Could not list projects: ${e.message}`);
  }
  if (app.projects.length === 0) {
    renderProjectPicker($('project-select'), [], null, () => {});
    return stageMessage('No projects yet. Create one with Project ▾ in the top bar and add images, or run `livetrain demo`.');
  }
  const hash = readHash();
  const remembered = Number(localStorage.getItem('livetrain.project'));
  const pick = [hash.project, remembered].find((id) => app.projects.some((p) => p.id === id)) ?? app.projects[0].id;
  await selectProject(pick, hash.project === pick ? hash.image : null);
}

async function selectProject(id, imageId = null) {
  if (!loop.confirmLeave('switch project')) {
    renderProjectPicker($('project-select'), app.projects, app.project?.id, selectProject);
    return;
  }
  await loop.releaseLease();
  app.mode = 'annotate';
  $('btn-review').classList.remove('active');
  const project = app.projects.find((p) => p.id === id);
  if (!project) return;
  $('canvas').focus({ preventScroll: true }); // keys go to the labelling shortcuts, not the picker
  app.project = project;
  app.visited = [];
  // Reviewing needs the reviewer or owner role (the server answers others 403): hide what they cannot use.
  $('btn-review').hidden = !(app.me?.admin || project.role === 'owner' || project.role === 'reviewer' || project.role == null);
  localStorage.setItem('livetrain.project', String(id));
  renderProjectPicker($('project-select'), app.projects, id, selectProject);
  renderProgress($('progress'), project.counts);
  editor.setClasses(project.classes);
  editor.classIndex = project.task === 'semantic' && project.classes.length > 1 ? 1 : 0;
  editor.clear();
  sidebar.renderToolbarFor(project.task);
  sidebar.refreshClasses();
  $('prelabel-panel').querySelector('h2').textContent = 'Pre-labels';
  metrics.follow(app.api, project);
  if (imageId) await openImage(imageId);
  else await goNext(null);
}

/** After images were added: fresh counts for the progress bar, and an image if none is open. */
async function refreshProject() {
  let project;
  try {
    project = await app.api.project(app.project.id);
  } catch (e) {
    return toast(`Could not refresh the project: ${e.message}`, 'error');
  }
  app.projects = app.projects.map((p) => (p.id === project.id ? project : p));
  if (app.project?.id !== project.id) return;
  app.project = project;
  renderProgress($('progress'), project.counts);
  if (!app.image) await goNext(null);
}

// ---- controls --------------------------------------------------------------------------------

function wireControls() {
  const refocus = (fn) => () => {
    $('canvas').focus({ preventScroll: true });
    fn();
  };
  $('btn-submit').addEventListener('click', refocus(submit));
  $('btn-next').addEventListener('click', refocus(next));
  $('btn-prev').addEventListener('click', refocus(prev));
  $('btn-skip').addEventListener('click', refocus(skip));
  $('btn-help').addEventListener('click', refocus(toggleHelp));
  $('btn-review').addEventListener('click', refocus(async () => {
    await loop.setMode(app.mode === 'review' ? 'annotate' : 'review');
    $('btn-review').classList.toggle('active', app.mode === 'review');
  }));
  $('btn-review-accept').addEventListener('click', refocus(() => loop.review('accept', $('review-comment').value)));
  $('btn-review-return').addEventListener('click', refocus(() => loop.review('return', $('review-comment').value)));
  // Active time: any pointer, key or wheel input keeps the open image's clock running.
  for (const type of ['pointerdown', 'pointermove', 'keydown', 'wheel']) {
    document.addEventListener(type, () => app.timer?.input(), { capture: true, passive: true });
  }
  // Leaving the page gives the open image back (a keepalive request outlives the page).
  window.addEventListener('pagehide', () => loop.releaseOnLeave());
  $('btn-accept').addEventListener('click', refocus(acceptAll));
  $('help').addEventListener('click', (e) => e.target === $('help') && toggleHelp());
  const savedMin = localStorage.getItem('livetrain.minScore');
  if (savedMin !== null && Number.isFinite(Number(savedMin))) $('min-score').value = savedMin;
  sidebar.renderMinScore();
  $('min-score').addEventListener('input', () => sidebar.setMinScore(sidebar.minScore()));
  $('btn-min-score-calibrated').addEventListener('click', refocus(sidebar.useCalibrated));
  $('min-score').addEventListener('change', () => $('canvas').focus({ preventScroll: true }));
  $('follow-model').checked = followsModel();
  $('follow-model').addEventListener('change', (e) => {
    localStorage.setItem(followModelKey, e.target.checked ? 'on' : 'off');
    $('canvas').focus({ preventScroll: true });
  });
  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    signIn();
  });
  $('btn-signout').addEventListener('click', signOut);
  window.addEventListener('beforeunload', (e) => {
    if (editor.doc?.dirty) e.preventDefault();
  });
  bindAccountsDialog({ api: () => app.api, me: () => app.me });
  bindProjectDialog({
    api: () => app.api,
    me: () => app.me,
    project: () => app.project,
    created: async (project) => {
      app.projects = [...app.projects.filter((p) => p.id !== project.id), project];
      await selectProject(project.id);
    },
    uploaded: refreshProject,
    deleted: async (project) => {
      app.projects = app.projects.filter((p) => p.id !== project.id);
      app.project = null;
      app.image = null;
      editor.clear();
      metrics.stop();
      localStorage.removeItem('livetrain.project');
      await loadProjects();
    },
  });
  bindShortcuts({
    editor,
    tool: () => editor.tool,
    helpOpen: () => !$('help').hidden,
    handlers: {
      next,
      prev,
      submit,
      skip,
      accept: acceptAll,
      class: (e) => editor.setClass(Number(e.key) - 1),
      delete: () => editor.deleteSelected(),
      cycle: (e) => editor.cycleSelection(e.shiftKey ? -1 : 1),
      escape: () => {
        if (editor.selectedId != null) editor.select(null);
      },
      undo: () => editor.undo(),
      redo: () => editor.redo(),
      tool: (e, name) => editor.setTool(name),
      'brush-size': (e) => editor.stepBrushSize(e.key === ']' ? 1 : -1),
      'toggle-masks': () => editor.toggleMasks(),
      fit: () => editor.fit(),
      zoom: (e) => editor.zoom(e.key === '+' || e.key === '=' ? 1.25 : 0.8),
      help: toggleHelp,
    },
  });
}

function acceptAll() {
  const n = editor.acceptAll();
  if (n === 0) toast('No pre-labels to accept on this image.', 'info');
  else toast(editor.doc.task === 'semantic' ? 'Pre-label map accepted.' : `Accepted ${n} pre-label${n === 1 ? '' : 's'}.`, 'ok');
}

function toggleHelp() {
  $('help').hidden = !$('help').hidden;
}

// ---- address bar: #p=<project>&i=<image> survives a reload -------------------------------------

function readHash() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const n = (k) => (params.has(k) ? Number(params.get(k)) : null);
  return { project: n('p'), image: n('i') };
}

function writeHash() {
  if (!app.project || !app.image) return;
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#p=${app.project.id}&i=${app.image.id}`);
}

// Read-only view of the state for the browser tests and for debugging from the console.
window.livetrain = {
  editor,
  state: () => ({
    project: app.project?.id ?? null,
    task: app.project?.task ?? null,
    image: app.image?.id ?? null,
    objects: editor.doc ? editor.doc.objects.map((o) => ({ id: o.id, classIndex: o.classIndex, box: o.box, bounds: o.bounds, prelabel: o.prelabel, score: o.score, polygon: !!o.polygon })) : [],
    pending: editor.doc?.pendingPrelabels ?? 0,
    prelabelShown: editor.doc?.prelabelShown ?? false,
    modelStep: app.modelStep ?? null,
    mode: app.mode,
    lease: app.lease ? { imageId: app.lease.imageId, kind: app.lease.kind, expiresAt: app.lease.expiresAt } : null,
    activeSeconds: app.timer ? app.timer.activeMs / 1000 : null,
    dirty: editor.doc?.dirty ?? false,
    selected: editor.selectedId,
    tool: editor.tool.name,
    view: { scale: editor.view.scale, ox: editor.view.ox, oy: editor.view.oy },
    busy: app.busy > 0,
    submitting: app.submitting,
    minScore: sidebar.minScoreState(),
  }),
};

renderHelp($('help-grid'));
wireControls();
start();
