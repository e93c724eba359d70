// The canvas editor: one image, its annotation document, the active tool, selection, undo/redo,
// zoom/pan and rendering. It knows nothing about HTTP; app.js loads and submits documents.

import { History } from './history.js';
import { Viewport } from './canvas/viewport.js';
import { MaskOverlay } from './canvas/overlay.js';
import { drawScene, hexToRgb } from './canvas/renderer.js';
import { unionRect } from './mask/raster.js';
import { BoxTool } from './tools/box.js';
import { PolygonTool } from './tools/polygon.js';
import { BrushTool } from './tools/brush.js';
import { FillTool } from './tools/fill.js';
import { SelectTool } from './tools/select.js';

/** Tools each task offers, in toolbar order. */
export const TOOLS_BY_TASK = {
  detection: ['box'],
  instance: ['select', 'polygon', 'brush', 'eraser', 'fill'],
  semantic: ['polygon', 'brush', 'eraser', 'fill'],
};

export class Editor {
  constructor(canvas, { onChange, notify }) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.onChange = onChange; // (what) => void: 'doc' | 'selection' | 'tool' | 'view' | 'cursor'
    this.notify = notify; // (message, kind) => void
    this.view = new Viewport();
    this.overlay = new MaskOverlay();
    this.history = new History();
    this.doc = null;
    this.image = null;
    this.classes = [];
    this.palettes = [];
    this.selectedId = null;
    this.classIndex = 0;
    this.brushSize = 12;
    this.showMasks = true;
    this.cursor = null;
    this.spaceHeld = false;
    this.pan = null;
    this.frame = 0;
    this.maskArea = null;
    this.maskAll = false;
    this.tools = {
      box: new BoxTool(this),
      select: new SelectTool(this),
      polygon: new PolygonTool(this),
      brush: new BrushTool(this, 'brush'),
      eraser: new BrushTool(this, 'eraser'),
      fill: new FillTool(this),
    };
    this.tool = this.tools.box;
    this.attach();
  }

  // ---- loading -------------------------------------------------------------------------------

  setClasses(classes) {
    this.classes = classes;
    this.palettes = classes.map((c) => hexToRgb(c.colour));
    if (this.classIndex >= classes.length) this.classIndex = 0;
    this.renderMasks();
  }

  /** Shows a new image and document; resets selection, history and the view. */
  load(doc, image) {
    this.image = image;
    this.view.setImage(image.width, image.height);
    this.replaceDoc(doc);
    this.onChange('view');
  }

  /** Nothing done to the open image yet: no edit, no selection, no stroke or polygon under way. */
  get untouched() {
    return !!this.doc && !this.doc.dirty && !this.pointerHeld && !this.tool?.drawing && this.selectedId == null;
  }

  /** A new document for the image shown (also fresher pre-labels): resets selection and history, not the view. */
  replaceDoc(doc) {
    this.tool?.cancel?.();
    this.doc = doc;
    this.selectedId = null;
    this.history.clear();
    this.overlay.reset(this.image.width, this.image.height);
    if (!TOOLS_BY_TASK[doc.task].includes(this.tool.name)) this.setTool(TOOLS_BY_TASK[doc.task][0]);
    this.renderMasks();
    this.onChange('doc');
  }

  clear() {
    this.tool?.cancel?.();
    this.doc = null;
    this.image = null;
    this.selectedId = null;
    this.history.clear();
    this.requestRender();
  }

  // ---- classes, colours ----------------------------------------------------------------------

  colour(i) {
    return this.classes[i]?.colour || '#a0a0a0';
  }

  className(i) {
    return this.classes[i]?.name ?? `class ${i}`;
  }

  palette = (i) => this.palettes[i] || [160, 160, 160];

  /** Picks the class for new shapes; with an object selected, changes its class too. */
  setClass(index) {
    if (index < 0 || index >= this.classes.length) return;
    this.classIndex = index;
    const o = this.selected();
    if (o && o.classIndex !== index) {
      this.change(() => this.doc.replace(o.id, { classIndex: index, prelabel: false }));
      this.renderMasks(o.bounds);
    }
    this.onChange('class');
  }

  // ---- tools ---------------------------------------------------------------------------------

  setTool(name) {
    if (!this.doc) return;
    if (!TOOLS_BY_TASK[this.doc.task].includes(name)) {
      const label = { box: 'Boxes', polygon: 'Polygons', brush: 'The brush', eraser: 'The eraser', fill: 'Fill', select: 'Mask selection' }[name];
      const where = name === 'box' ? 'detection projects' : 'segmentation projects';
      this.notify(`${label} ${name === 'box' || name === 'polygon' ? 'are' : 'is'} for ${where}; this project is ${this.doc.task}.`, 'warn');
      return;
    }
    this.tool?.cancel?.();
    this.tool = this.tools[name];
    this.updateCursor();
    this.requestRender();
    this.onChange('tool');
  }

  setBrushSize(size) {
    this.brushSize = Math.max(1, Math.min(256, Math.round(size)));
    this.requestRender();
    this.onChange('tool');
  }

  /** `[` / `]`: about 20 % per step, at least one pixel. */
  stepBrushSize(direction) {
    const s = this.brushSize;
    this.setBrushSize(direction > 0 ? Math.max(s + 1, s * 1.2) : Math.min(s - 1, s / 1.2));
  }

  // ---- selection -----------------------------------------------------------------------------

  selected() {
    return this.doc ? this.doc.find(this.selectedId) : null;
  }

  select(id) {
    if (this.selectedId === id) return;
    const before = this.selected();
    this.selectedId = id;
    const after = this.selected();
    if (after) this.classIndex = after.classIndex;
    if (this.doc?.task === 'instance') {
      this.renderMasks(before?.bounds);
      this.renderMasks(after?.bounds);
    }
    this.requestRender();
    this.onChange('selection');
  }

  /** Tab / Shift+Tab: the next or previous object. */
  cycleSelection(direction) {
    if (!this.doc || this.doc.objects.length === 0) return;
    const list = this.doc.objects;
    const at = list.findIndex((o) => o.id === this.selectedId);
    const next = at < 0 ? (direction > 0 ? 0 : list.length - 1) : (at + direction + list.length) % list.length;
    this.select(list[next].id);
  }

  // ---- edits and undo ------------------------------------------------------------------------

  /** Runs `fn` as one undoable change. `accept` marks "accept all", which does not count as editing. */
  change(fn, { accept = false } = {}) {
    if (!this.doc) return;
    const before = this.snapshot();
    fn();
    this.commit(before, { accept });
  }

  /** Records `before` as an undo step for a change already applied (tools that drag call this at the end). */
  commit(before, { accept = false } = {}) {
    this.history.push(before);
    this.doc.dirty = true;
    if (!accept) this.doc.edited = true;
    if (this.selectedId != null && !this.doc.find(this.selectedId)) this.selectedId = null;
    this.requestRender();
    this.onChange('doc');
  }

  undo() {
    if (!this.doc) return;
    this.tool?.cancel?.();
    const s = this.history.undo(this.snapshot());
    if (!s) return this.notify('Nothing to undo.', 'info');
    this.doc.restore(s);
    this.afterRestore(s);
  }

  redo() {
    if (!this.doc) return;
    this.tool?.cancel?.();
    const s = this.history.redo(this.snapshot());
    if (!s) return this.notify('Nothing to redo.', 'info');
    this.doc.restore(s);
    this.afterRestore(s);
  }

  /** The document's state plus the selection, so undo also gives back what was selected. */
  snapshot() {
    return { ...this.doc.snapshot(), selectedId: this.selectedId };
  }

  afterRestore(s) {
    if (s.selectedId !== undefined) this.selectedId = s.selectedId;
    if (!this.doc.find(this.selectedId)) this.selectedId = null;
    this.renderMasks();
    this.onChange('doc');
  }

  deleteSelected() {
    const o = this.selected();
    if (!o) return this.notify('Nothing selected to delete (click a shape or press Tab).', 'info');
    this.change(() => {
      this.doc.objects = this.doc.objects.filter((x) => x.id !== o.id);
    });
    this.selectedId = null;
    this.renderMasks(o.bounds);
    this.onChange('selection');
  }

  acceptAll() {
    if (!this.doc) return 0;
    const n = this.doc.pendingPrelabels;
    if (n === 0) return 0;
    this.change(() => this.doc.acceptAll(), { accept: true });
    this.renderMasks();
    return n;
  }

  // ---- rendering -----------------------------------------------------------------------------

  /** Re-renders the mask layer in `area` (image pixels), or all of it. */
  renderMasks(area) {
    if (area === undefined) this.maskAll = true;
    else if (area) this.maskArea = unionRect(this.maskArea, area);
    this.requestRender();
  }

  requestRender() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => this.renderNow());
  }

  renderNow() {
    this.frame = 0;
    if (this.doc && this.doc.task !== 'detection' && (this.maskAll || this.maskArea)) {
      this.overlay.render(this.doc, this.palette, this.selectedId, this.maskAll ? null : this.maskArea);
    }
    this.maskAll = false;
    this.maskArea = null;
    drawScene(this.ctx, this);
  }

  resize() {
    const r = this.canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.max(1, Math.round(r.width * dpr));
    this.canvas.height = Math.max(1, Math.round(r.height * dpr));
    this.view.setCanvasSize(r.width, r.height);
    this.renderNow();
    this.onChange('view');
  }

  fit() {
    this.view.fit();
    this.requestRender();
    this.onChange('view');
  }

  zoom(factor) {
    this.view.zoomAt(this.view.width / 2, this.view.height / 2, factor);
    this.requestRender();
    this.onChange('view');
  }

  toggleMasks() {
    this.showMasks = !this.showMasks;
    this.requestRender();
  }

  // ---- pointer input -------------------------------------------------------------------------

  point(e) {
    const r = this.canvas.getBoundingClientRect();
    const sx = e.clientX - r.left;
    const sy = e.clientY - r.top;
    const { x, y } = this.view.toImage(sx, sy);
    return { x, y, sx, sy };
  }

  attach() {
    const c = this.canvas;
    c.addEventListener('pointerdown', (e) => {
      c.focus({ preventScroll: true });
      if (!this.doc) return;
      if (e.button === 1 || (e.button === 0 && this.spaceHeld)) {
        e.preventDefault();
        this.pan = { sx: e.clientX, sy: e.clientY };
        c.setPointerCapture(e.pointerId);
        this.updateCursor();
        return;
      }
      if (e.button !== 0) return;
      c.setPointerCapture(e.pointerId);
      this.pointerHeld = true;
      this.tool.down?.(this.point(e), e);
      this.requestRender();
    });
    c.addEventListener('pointermove', (e) => {
      if (!this.doc) return;
      if (this.pan) {
        this.view.panBy(e.clientX - this.pan.sx, e.clientY - this.pan.sy);
        this.pan = { sx: e.clientX, sy: e.clientY };
        this.requestRender();
        this.onChange('view');
        return;
      }
      const pt = this.point(e);
      this.cursor = pt;
      this.tool.move?.(pt, e);
      this.updateCursor(pt);
      this.requestRender();
      this.onChange('cursor');
    });
    const end = (e) => {
      if (this.pan) {
        this.pan = null;
        this.updateCursor();
        return;
      }
      this.pointerHeld = false;
      if (!this.doc) return;
      this.tool.up?.(this.point(e), e);
      this.requestRender();
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
    c.addEventListener('pointerleave', () => {
      this.cursor = null;
      this.requestRender();
      this.onChange('cursor');
    });
    c.addEventListener('auxclick', (e) => e.preventDefault());
    c.addEventListener('contextmenu', (e) => e.preventDefault());
    c.addEventListener(
      'wheel',
      (e) => {
        if (!this.doc) return;
        e.preventDefault();
        const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
        const pt = this.point(e);
        this.view.zoomAt(pt.sx, pt.sy, Math.exp(-e.deltaY * unit * 0.0015));
        this.requestRender();
        this.onChange('view');
      },
      { passive: false },
    );
    new ResizeObserver(() => this.resize()).observe(c);
  }

  setSpace(held) {
    this.spaceHeld = held;
    this.updateCursor();
  }

  updateCursor(pt = this.cursor) {
    let cursor = 'default';
    if (this.pan) cursor = 'grabbing';
    else if (this.spaceHeld) cursor = 'grab';
    else if (this.doc && this.tool.cursor) cursor = this.tool.cursor(pt);
    this.canvas.style.cursor = cursor;
  }
}
