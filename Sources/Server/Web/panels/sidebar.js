// The panels around the canvas as the editor changes: objects, classes, pre-label summary and
// min-score filter, toolbar state, status bar, image name and the stage message.

import { TOOLS_BY_TASK } from '../editor.js';
import { describeCalibration, readCalibration, thresholdFor as thresholdFunction } from '../prelabelThresholds.js';
import { renderClasses } from './classes.js';
import { renderObjects } from './objects.js';
import { renderToolbar, updateToolbar } from './toolbar.js';

const $ = (id) => document.getElementById(id);

const TOOL_HINTS = {
  box: 'Box: drag to draw · click to select · drag to move · handles resize · Shift+drag draws over boxes',
  select: 'Select: click a mask · drag a polygon vertex to reshape it',
  polygon: 'Polygon: click points · click the first point or Enter to close · Backspace drops a point',
  brush: 'Brush',
  eraser: 'Eraser',
  fill: 'Fill: click inside a closed region',
};

export function createSidebar(app, editor) {
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

  /** The slider's value. */
  function minScore() {
    return Number($('min-score').value);
  }

  /** The server's calibration from the last `open` reply (`prelabelThresholds.js`). */
  let calibration = { global: null, perClass: new Map() };
  /** Whether the annotator moved the slider (kept across sessions): then one value applies to all classes. */
  const overridden = () => localStorage.getItem('livetrain.minScore') !== null;

  /** Class index → the min score its pre-labels are shown (and accepted) from. */
  function thresholdFor() {
    return thresholdFunction(calibration, overridden() ? minScore() : null, minScore());
  }

  /**
   * The server's calibrated min scores (those whose pre-labels cost least to correct on recent images,
   * per class where it has enough of them) apply until the annotator moves the slider themselves.
   */
  function suggestMinScore(reply) {
    calibration = readCalibration(reply, app.project?.classes);
    if (!overridden() && calibration.global != null) $('min-score').value = String(calibration.global);
    renderMinScore();
  }

  function renderMinScore() {
    const calibrated = !overridden() && calibration.global != null;
    $('min-score-value').textContent = !calibrated ? minScore().toFixed(2) : calibration.perClass.size ? 'per class' : `${minScore().toFixed(2)} (calibrated)`;
    $('min-score-calibrated').textContent = describeCalibration(calibration, app.project?.classes);
    $('btn-min-score-calibrated').hidden = calibrated || calibration.global == null;
  }

  /** The slider moved: its value applies to every class from now on. */
  function setMinScore(value) {
    $('min-score').value = String(value);
    localStorage.setItem('livetrain.minScore', String(minScore()));
    applyThresholds();
  }

  /** Back to the server's calibrated values (per class). */
  function useCalibrated() {
    localStorage.removeItem('livetrain.minScore');
    if (calibration.global != null) $('min-score').value = String(calibration.global);
    applyThresholds();
  }

  function applyThresholds() {
    renderMinScore();
    if (!editor.doc) return;
    editor.doc.applyMinScore(thresholdFor());
    if (editor.selectedId != null && !editor.doc.find(editor.selectedId)) editor.selectedId = null;
    editor.renderMasks();
    onChange('doc');
  }

  function renderPrelabelSummary() {
    const doc = editor.doc;
    const el = $('prelabel-summary');
    const pending = doc ? doc.pendingPrelabels : 0;
    const hidden = doc ? doc.hiddenPrelabels.length : 0;
    $('hidden-count').textContent = hidden ? `${hidden} hidden` : '';
    $('min-score').closest('label').hidden = !doc || doc.task === 'semantic';
    $('min-score-calibration').hidden = !doc || doc.task === 'semantic' || calibration.global == null;
    $('btn-accept').disabled = pending === 0;
    el.dataset.pending = String(pending);
    if (!doc) el.textContent = 'none';
    // Low-score pre-labels left hidden after the shown ones were edited still count as reviewed.
    else if (pending === 0 && hidden > 0 && !doc.edited) el.textContent = 'all below min score';
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

  return {
    onChange, refreshClasses, renderToolbarFor, minScore, thresholdFor, setMinScore, useCalibrated, suggestMinScore, renderMinScore,
    renderImageInfo, stageMessage,
    /** For the browser tests: what the min-score filter applies now. */
    minScoreState: () => ({ overridden: overridden(), global: calibration.global, perClass: Object.fromEntries(calibration.perClass) }),
  };
}
