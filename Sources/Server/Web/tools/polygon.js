// Polygons: click to add points, close by clicking the first point or pressing Enter; Backspace
// removes the last point, Esc cancels. Vertices can be dragged while drawing and, for an instance
// object still shaped by its polygon, after closing (the mask is rasterised again).
// Instance: a closed polygon becomes a new object. Semantic: it paints the current class.

import { drawPolygon } from '../canvas/renderer.js';
import { makeObject } from '../annotation.js';
import { fillPolygon, maskBounds } from '../mask/raster.js';

const SNAP = 9; // screen pixels within which a click hits a vertex

export class PolygonTool {
  name = 'polygon';

  constructor(editor) {
    this.editor = editor;
    this.points = [];
    this.vertexDrag = null;
  }

  get drawing() {
    return this.points.length > 0;
  }

  down(pt) {
    const ed = this.editor;
    if (this.drawing) {
      if (this.points.length >= 3 && nearPoint(ed, this.points[0], pt)) return this.close();
      const i = this.points.findIndex((p) => nearPoint(ed, p, pt));
      if (i >= 0) {
        this.vertexDrag = { target: 'draft', index: i };
        return;
      }
      this.points.push(clampPoint(ed, pt));
      return;
    }
    if (startVertexDrag(this, pt)) return;
    this.points = [clampPoint(ed, pt)];
  }

  move(pt) {
    moveVertex(this, pt);
  }

  up() {
    endVertexDrag(this);
  }

  /** Enter closes, Backspace drops the last point, Esc cancels; returns whether the key was used. */
  key(e) {
    if (!this.drawing) return false;
    if (e.key === 'Enter') {
      this.close();
      return true;
    }
    if (e.key === 'Backspace' || e.key === 'Delete') {
      this.points.pop();
      this.editor.requestRender();
      return true;
    }
    if (e.key === 'Escape') {
      this.cancel();
      this.editor.requestRender();
      return true;
    }
    return false;
  }

  close() {
    const ed = this.editor;
    const points = this.points;
    this.points = [];
    if (points.length < 3) {
      ed.notify('A polygon needs at least 3 points.', 'warn');
      return;
    }
    const { width, height } = ed.doc;
    if (ed.doc.task === 'instance') {
      const mask = new Uint8Array(width * height);
      fillPolygon(mask, width, height, points, 1);
      const bounds = maskBounds(mask, width, height);
      if (!bounds) {
        ed.notify('That polygon covers no pixel centre; draw it larger or zoom in.', 'warn');
        return;
      }
      const o = makeObject({ classIndex: ed.classIndex, mask, bounds, polygon: points });
      ed.change(() => {
        ed.doc.objects = [...ed.doc.objects, o];
      });
      ed.select(o.id);
      ed.renderMasks(bounds);
    } else if (ed.doc.task === 'semantic') {
      let touched = null;
      ed.change(() => {
        const labels = ed.doc.editableLabels().slice();
        touched = fillPolygon(labels, width, height, points, ed.classIndex);
        ed.doc.labels = labels;
      });
      ed.renderMasks(touched || undefined);
    }
    ed.requestRender();
  }

  cancel() {
    this.points = [];
    cancelVertexDrag(this);
  }

  draw(ctx) {
    const ed = this.editor;
    drawSelectedPolygon(ctx, ed);
    if (!this.drawing) return;
    const colour = ed.colour(ed.classIndex);
    const preview = ed.cursor && !this.vertexDrag ? [...this.points, [ed.cursor.x, ed.cursor.y]] : this.points;
    const closable = this.points.length >= 3 && ed.cursor && nearPoint(ed, this.points[0], ed.cursor);
    drawPolygon(ctx, ed.view, preview, colour, { closed: false, highlightFirst: this.points.length >= 3 });
    if (closable) {
      const p = ed.view.toScreen(...this.points[0]);
      ctx.save();
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(p.x, p.y, 10, 0, Math.PI * 2);
      ctx.stroke();
      ctx.restore();
    }
  }

  cursor(pt) {
    if (this.vertexDrag) return 'grabbing';
    if (pt && this.drawing && this.points.some((p) => nearPoint(this.editor, p, pt))) return 'pointer';
    if (pt && !this.drawing && selectedVertexAt(this.editor, pt) >= 0) return 'grab';
    return 'crosshair';
  }
}

// ---- vertex editing, shared with the select tool --------------------------------------------

/** Starts dragging a vertex of the selected object's polygon if `pt` is on one. */
export function startVertexDrag(tool, pt) {
  const ed = tool.editor;
  const i = selectedVertexAt(ed, pt);
  if (i < 0) return false;
  const o = ed.selected();
  tool.vertexDrag = { target: 'object', id: o.id, index: i, before: ed.snapshot(), moved: false };
  return true;
}

export function moveVertex(tool, pt) {
  const d = tool.vertexDrag;
  if (!d) return;
  const ed = tool.editor;
  const p = clampPoint(ed, pt);
  if (d.target === 'draft') {
    tool.points[d.index] = p;
    return;
  }
  const o = ed.doc.find(d.id);
  if (!o || !o.polygon) return;
  const polygon = o.polygon.slice();
  polygon[d.index] = p;
  d.moved = true;
  ed.doc.replace(o.id, { polygon }); // the mask follows on release
}

export function endVertexDrag(tool) {
  const d = tool.vertexDrag;
  tool.vertexDrag = null;
  if (!d || d.target !== 'object' || !d.moved) return;
  const ed = tool.editor;
  const o = ed.doc.find(d.id);
  if (!o) return;
  const { width, height } = ed.doc;
  const mask = new Uint8Array(width * height);
  fillPolygon(mask, width, height, o.polygon, 1);
  const bounds = maskBounds(mask, width, height);
  if (!bounds) {
    ed.doc.restore(d.before);
    ed.notify('That edit would leave the polygon with no pixels; undone.', 'warn');
    ed.requestRender();
    return;
  }
  const old = o.bounds;
  ed.doc.replace(o.id, { mask, bounds, prelabel: false });
  ed.commit(d.before);
  ed.renderMasks(old);
  ed.renderMasks(bounds);
}

function cancelVertexDrag(tool) {
  const d = tool.vertexDrag;
  tool.vertexDrag = null;
  if (d && d.target === 'object' && d.moved) tool.editor.doc.restore(d.before);
}

export function selectedVertexAt(ed, pt) {
  const o = ed.selected();
  if (!o || !o.polygon || !pt) return -1;
  return o.polygon.findIndex((p) => nearPoint(ed, p, pt));
}

/** Outline and vertices of the selected object when it is still a polygon. */
export function drawSelectedPolygon(ctx, ed) {
  const o = ed.selected();
  if (!o || !o.polygon) return;
  drawPolygon(ctx, ed.view, o.polygon, ed.colour(o.classIndex), { closed: true, vertexSize: 7 });
}

function nearPoint(ed, [x, y], pt) {
  const p = ed.view.toScreen(x, y);
  return Math.hypot(p.x - pt.sx, p.y - pt.sy) <= SNAP;
}

function clampPoint(ed, pt) {
  const { width, height } = ed.doc;
  return [Math.min(width, Math.max(0, pt.x)), Math.min(height, Math.max(0, pt.y))];
}
