// The labelling app: sign-in, project choice, the open → edit → submit → next loop, and the wiring of
// panels, toolbar and shortcuts around the canvas editor.

import { Api } from './api.js';
import { takeToken, storeToken, forgetToken } from './token.js';
import { AnnotationDoc } from './annotation.js';
import { Editor, TOOLS_BY_TASK } from './editor.js';
import { bindShortcuts, renderHelp } from './shortcuts.js';
import { toast } from './panels/toast.js';
import { renderClasses } from './panels/classes.js';
import { renderObjects } from './panels/objects.js';
import { renderProjectPicker, renderProgress } from './panels/projects.js';
import { renderToolbar, updateToolbar } from './panels/toolbar.js';
import { MetricsPanel } from './panels/metrics.js';

const $ = (id) => document.getElementById(id);

const TOOL_HINTS = {
  box: 'Box: drag to draw · click to select · drag to move · handles resize · Shift+drag draws over boxes',
  select: 'Select: click a mask · drag a polygon vertex to reshape it',
  polygon: 'Polygon: click points · click the first point or Enter to close · Backspace drops a point',
  brush: 'Brush',
  eraser: 'Eraser',
  fill: 'Fill: click inside a closed region',
};

/** How long a second press of S / N confirms submitting without pre-labels / discarding changes. */
const CONFIRM_MS = 8000;

const app = {
  api: null,
  projects: [],
  project: null,
  image: null, // the open image (API JSON)
  visited: [],
  loadSeq: 0,
  submitting: false,
  confirmSubmitUntil: 0,
  confirmLeaveUntil: 0,
  busy: 0, // requests in flight that change what is shown (tests wait for 0)
};

const editor = new Editor($('canvas'), { onChange, notify: (m, kind) => toast(m, kind) });
const metrics = new MetricsPanel($('metrics-panel'), { onProgress: (c) => renderProgress($('progress'), c) });

// ---- start -----------------------------------------------------------------------------------

async function start() {
  const token = takeToken();
  if (!token) return showLogin();
  app.api = new Api(token);
  try {
    await app.api.me();
  } catch (e) {
    if (e.status === 401) {
      forgetToken();
      return showLogin(`The saved token was refused: ${e.message}.`);
    }
    return stageMessage(`Cannot reach the livetrain server: ${e.message}`);
  }
  await loadProjects();
}

function showLogin(reason = '') {
  $('login').hidden = false;
  $('login-error').textContent = reason;
  $('login-token').focus();
  stageMessage('Sign in to start labelling.');
}

async function loadProjects() {
  try {
    app.projects = await app.api.projects();
  } catch (e) {
    return stageMessage(`Could not list projects: ${e.message}`);
  }
  if (app.projects.length === 0) {
    renderProjectPicker($('project-select'), [], null, () => {});
    return stageMessage('No projects yet. Run `livetrain demo`, or create one with POST /api/projects and upload images.');
  }
  const hash = readHash();
  const remembered = Number(localStorage.getItem('livetrain.project'));
  const pick = [hash.project, remembered].find((id) => app.projects.some((p) => p.id === id)) ?? app.projects[0].id;
  await selectProject(pick, hash.project === pick ? hash.image : null);
}

async function selectProject(id, imageId = null) {
  if (!confirmLeave('switch project')) {
    renderProjectPicker($('project-select'), app.projects, app.project?.id, selectProject);
    return;
  }
  const project = app.projects.find((p) => p.id === id);
  if (!project) return;
  app.project = project;
  app.visited = [];
  localStorage.setItem('livetrain.project', String(id));
  renderProjectPicker($('project-select'), app.projects, id, selectProject);
  renderProgress($('progress'), project.counts);
  editor.setClasses(project.classes);
  editor.classIndex = project.task === 'semantic' && project.classes.length > 1 ? 1 : 0;
  editor.clear();
  renderToolbarFor(project.task);
  refreshClasses();
  $('prelabel-panel').querySelector('h2').textContent = 'Pre-labels';
  metrics.follow(app.api, project);
  if (imageId) await openImage(imageId);
  else await goNext(null);
}

// ---- the labelling loop ----------------------------------------------------------------------

async function goNext(after) {
  return busy(() => goNextNow(after));
}

async function goNextNow(after) {
  const seq = ++app.loadSeq;
  let reply;
  try {
    reply = await app.api.next(app.project.id, after);
  } catch (e) {
    return toast(`Could not find the next image: ${e.message}`, 'error');
  }
  if (seq !== app.loadSeq) return;
  if (!reply.image) {
    editor.clear();
    app.image = null;
    renderImageInfo();
    onChange('doc');
    const c = app.project.counts;
    return stageMessage(`Nothing left to label in “${app.project.name}”${c ? ` (${c.labelled} labelled, ${c.skipped} skipped)` : ''}. ← reopens earlier images.`);
  }
  await openImage(reply.image.id);
}

async function openImage(id, options) {
  return busy(() => openImageNow(id, options));
}

async function openImageNow(id, { remember = true } = {}) {
  const seq = ++app.loadSeq;
  const slow = setTimeout(() => seq === app.loadSeq && stageMessage('Opening image… the live model is preparing a pre-label.'), 250);
  try {
    const reply = await app.api.open(app.project.id, id);
    const image = await app.api.imageElement(reply.image.file);
    if (seq !== app.loadSeq) return;
    const doc = AnnotationDoc.fromOpen(app.project.task, reply.image, reply);
    app.image = reply.image;
    app.modelStep = reply.ready ? reply.modelStep ?? null : null;
    app.confirmSubmitUntil = 0;
    app.confirmLeaveUntil = 0;
    editor.load(doc, image);
    if (remember && app.visited[app.visited.length - 1] !== id) app.visited.push(id);
    writeHash();
    renderImageInfo(reply);
    stageMessage(null);
    if (doc.prelabelShown) {
      const n = doc.pendingPrelabels;
      const what = app.project.task === 'semantic' ? 'a pre-label map' : `${n} pre-label${n === 1 ? '' : 's'}`;
      toast(`The live model suggests ${what} (step ${reply.modelStep ?? '?'}). A accepts all; editing one makes it yours.`, 'info', { timeout: 4000 });
    }
  } catch (e) {
    if (seq === app.loadSeq) {
      stageMessage(null);
      toast(`Could not open image ${id}: ${e.message}`, 'error');
    }
  } finally {
    clearTimeout(slow);
  }
}

async function submit() {
  return busy(submitNow);
}

async function submitNow() {
  const doc = editor.doc;
  if (!doc || !app.image || app.submitting) return;
  if (editor.tool.name === 'polygon' && editor.tool.drawing) {
    return toast('Finish the polygon first: Enter closes it, Esc drops it.', 'warn');
  }
  const pending = doc.pendingPrelabels;
  if (pending > 0 && Date.now() > app.confirmSubmitUntil) {
    app.confirmSubmitUntil = Date.now() + CONFIRM_MS;
    const what = doc.task === 'semantic' ? 'The pre-label map is' : `${pending} pre-label${pending === 1 ? ' is' : 's are'}`;
    return toast(`${what} not accepted. Press A to accept, or S again to submit without ${pending === 1 ? 'it' : 'them'}.`, 'warn');
  }
  app.submitting = true;
  $('btn-submit').disabled = true;
  const imageId = app.image.id;
  try {
    const body = doc.submission();
    const reply = await app.api.submit(app.project.id, imageId, body);
    doc.dirty = false;
    app.image = reply.image;
    const n = body.objects.length;
    const what = doc.task === 'semantic' ? 'label map' : doc.task === 'detection' ? `${n} box${n === 1 ? '' : 'es'}` : `${n} object${n === 1 ? '' : 's'}`;
    const score = reply.liveScore ? ` · pre-label scored ${reply.liveScore.ap.toFixed(2)}` : '';
    toast(`Saved ${what} for ${app.image.originalName}${score}.`, 'ok');
    refreshProgress();
    await goNext(imageId);
  } catch (e) {
    toast(`Submit failed: ${e.message}\nYour labels are still here; fix them and submit again.`, 'error');
    if (e.status === 401) showLogin(`The server refused the token: ${e.message}. Sign in again; your labels stay on screen.`);
  } finally {
    app.submitting = false;
    $('btn-submit').disabled = false;
  }
}

async function skip() {
  if (!app.image) return;
  if (!confirmLeave('skip this image')) return;
  try {
    await app.api.skip(app.project.id, app.image.id);
    if (editor.doc) editor.doc.dirty = false;
    toast(`Skipped ${app.image.originalName}.`, 'info');
    refreshProgress();
    await goNext(app.image.id);
  } catch (e) {
    toast(`Could not skip: ${e.message}`, 'error');
  }
}

async function next() {
  if (!app.project) return;
  if (!confirmLeave('go to the next image')) return;
  await goNext(app.image?.id ?? null);
}

async function prev() {
  if (!app.project) return;
  const at = app.image ? app.visited.lastIndexOf(app.image.id) : app.visited.length;
  const target = at > 0 ? app.visited[at - 1] : app.visited[app.visited.length - 1];
  if (target == null || target === app.image?.id) return toast('No earlier image in this session.', 'info');
  if (!confirmLeave('go back')) return;
  app.visited = app.visited.slice(0, Math.max(0, at));
  await openImage(target, { remember: true });
}

async function busy(fn) {
  app.busy++;
  try {
    return await fn();
  } finally {
    app.busy--;
  }
}

/** Unsubmitted changes need a second press (or a confirm for clicks) before they are dropped. */
function confirmLeave(action) {
  if (!editor.doc?.dirty) return true;
  if (Date.now() < app.confirmLeaveUntil) {
    app.confirmLeaveUntil = 0;
    return true;
  }
  app.confirmLeaveUntil = Date.now() + CONFIRM_MS;
  toast(`This image has unsubmitted changes. Press S to submit them, or ${action} again to discard them.`, 'warn');
  return false;
}

async function refreshProgress() {
  try {
    const p = await app.api.project(app.project.id);
    app.project.counts = p.counts;
    renderProgress($('progress'), p.counts);
  } catch {
    // The event stream brings the counts too.
  }
}

// ---- panels ----------------------------------------------------------------------------------

function onChange(what) {
  if (what === 'doc' || what === 'selection') {
    renderObjects($('object-list'), $('object-count'), editor);
    renderPrelabelSummary();
    refreshClasses();
  }
  if (what === 'class') refreshClasses();
  if (what === 'doc' || what === 'tool' || what === 'selection') {
    updateToolbar($('toolbar'), { active: editor.tool.name, brushSize: editor.brushSize, canUndo: editor.history.canUndo, canRedo: editor.history.canRedo });
    renderStatusTool();
  }
  if (what === 'view' || what === 'doc') $('status-zoom').textContent = editor.doc ? `${Math.round(editor.view.scale * 100)} %` : '';
  if (what === 'cursor') {
    const c = editor.cursor;
    $('status-cursor').textContent = c && editor.doc ? `x ${Math.floor(c.x)}  y ${Math.floor(c.y)}` : '';
  }
}

function refreshClasses() {
  if (!app.project) return;
  renderClasses($('class-list'), app.project.classes, editor.classIndex, app.project.task, (i) => {
    editor.setClass(i);
    $('canvas').focus();
  });
}

function renderToolbarFor(task) {
  renderToolbar($('toolbar'), TOOLS_BY_TASK[task], {
    active: editor.tool.name,
    brushSize: editor.brushSize,
    onTool: (t) => editor.setTool(t),
    onUndo: () => editor.undo(),
    onRedo: () => editor.redo(),
    onFit: () => editor.fit(),
    onBrush: (d) => editor.stepBrushSize(d),
  });
  if (!TOOLS_BY_TASK[task].includes(editor.tool.name)) editor.tool = editor.tools[TOOLS_BY_TASK[task][0]];
  onChange('tool');
}

function renderPrelabelSummary() {
  const doc = editor.doc;
  const el = $('prelabel-summary');
  const pending = doc ? doc.pendingPrelabels : 0;
  $('btn-accept').disabled = pending === 0;
  el.dataset.pending = String(pending);
  if (!doc) el.textContent = 'none';
  else if (pending > 0) el.textContent = doc.task === 'semantic' ? 'label map to review' : `${pending} to review`;
  else if (doc.prelabelShown) el.textContent = doc.edited ? 'reviewed (edited)' : 'all accepted';
  else el.textContent = 'none for this image';
}

function renderStatusTool() {
  const t = editor.tool.name;
  let hint = TOOL_HINTS[t] || t;
  if (t === 'brush' || t === 'eraser') {
    const where = editor.doc?.task === 'semantic'
      ? (t === 'brush' ? 'paints the current class' : 'paints background')
      : (t === 'brush' ? 'paints into the selected object, or a new one (Esc deselects)' : 'erases from the selected object, or all under it');
    hint = `${hint} ${editor.brushSize} px · ${where} · [ ] size`;
  }
  $('status-tool').textContent = hint;
}

function renderImageInfo(reply) {
  const el = $('image-info');
  el.replaceChildren();
  if (!app.image) return;
  const name = document.createElement('b');
  name.textContent = app.image.originalName;
  el.append(name, ` · #${app.image.id} · ${app.image.width}×${app.image.height}`);
  if (app.image.status !== 'unlabelled') {
    const tag = document.createElement('span');
    tag.className = `tag ${app.image.status}`;
    tag.textContent = app.image.status;
    el.append(tag);
  }
  el.title = reply?.ready ? `Live model ready (step ${reply.modelStep ?? '?'})` : 'No pre-label: the live model is not ready yet';
}

function stageMessage(text) {
  const el = $('stage-message');
  el.hidden = !text;
  el.textContent = text || '';
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
  $('btn-accept').addEventListener('click', refocus(acceptAll));
  $('help').addEventListener('click', (e) => e.target === $('help') && toggleHelp());
  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('login-token').value.trim();
    if (!token) return;
    storeToken(token);
    $('login').hidden = true;
    $('login-token').value = '';
    if (app.api && app.project) {
      // Signed in again mid-session: keep the open image and its unsubmitted labels.
      app.api.token = token;
      metrics.follow(app.api, app.project);
      toast('Signed in. Submit again when ready.', 'ok');
      return;
    }
    start();
  });
  window.addEventListener('beforeunload', (e) => {
    if (editor.doc?.dirty) e.preventDefault();
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
    dirty: editor.doc?.dirty ?? false,
    selected: editor.selectedId,
    tool: editor.tool.name,
    view: { scale: editor.view.scale, ox: editor.view.ox, oy: editor.view.oy },
    busy: app.busy > 0,
  }),
};

renderHelp($('help-grid'));
wireControls();
start();
