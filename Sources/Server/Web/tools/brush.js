// Brush and eraser (size in image pixels: [ and ]).
// Instance: the brush paints into the selected object, or starts a new one of the current class when
// none is selected (Esc deselects); the eraser erases from the selected object, or from every object
// under it when none is. Semantic: the brush paints the current class, the eraser paints background.
// Painting into a pre-label makes it the human's.

import { makeObject } from '../annotation.js';
import { maskBounds, paintStroke, unionRect } from '../mask/raster.js';

export class BrushTool {
  constructor(editor, mode) {
    this.editor = editor;
    this.mode = mode; // 'brush' | 'eraser'
    this.name = mode;
    this.stroke = null;
  }

  down(pt) {
    const ed = this.editor;
    const doc = ed.doc;
    const stroke = { before: ed.snapshot(), last: pt, touched: null, copied: new Set(), created: null };
    this.stroke = stroke;
    if (doc.task === 'semantic') {
      doc.labels = doc.editableLabels().slice();
    } else if (this.mode === 'brush') {
      let target = ed.selected();
      if (!target || !target.mask) {
        target = makeObject({ classIndex: ed.classIndex, mask: new Uint8Array(doc.width * doc.height), bounds: null });
        doc.objects = [...doc.objects, target];
        stroke.created = target.id;
        ed.selectedId = target.id;
      }
      stroke.target = target.id;
    }
    this.paint(pt, pt);
  }

  move(pt) {
    if (!this.stroke) return;
    this.paint(this.stroke.last, pt);
    this.stroke.last = pt;
  }

  up() {
    const s = this.stroke;
    this.stroke = null;
    if (!s) return;
    const ed = this.editor;
    const doc = ed.doc;
    if (!s.touched) {
      doc.restore(s.before);
      if (s.created) ed.selectedId = null;
      return;
    }
    if (doc.task === 'instance') {
      // Tight bounds again; objects erased to nothing are removed.
      for (const id of s.copied) {
        const o = doc.find(id);
        const bounds = maskBounds(o.mask, doc.width, doc.height);
        if (bounds) doc.replace(id, { bounds });
        else doc.objects = doc.objects.filter((x) => x.id !== id);
      }
    }
    ed.commit(s.before);
    ed.renderMasks(s.touched);
    ed.onChange('selection');
  }

  cancel() {
    if (!this.stroke) return;
    this.editor.doc.restore(this.stroke.before);
    this.stroke = null;
    this.editor.renderMasks();
  }

  paint(from, to) {
    const ed = this.editor;
    const doc = ed.doc;
    const s = this.stroke;
    const r = ed.brushSize / 2;
    let touched = null;
    if (doc.task === 'semantic') {
      const value = this.mode === 'brush' ? ed.classIndex : 0;
      touched = paintStroke(doc.labels, doc.width, doc.height, from.x, from.y, to.x, to.y, r, value);
    } else {
      const reach = { x1: Math.min(from.x, to.x) - r, y1: Math.min(from.y, to.y) - r, x2: Math.max(from.x, to.x) + r, y2: Math.max(from.y, to.y) + r };
      const targets = this.mode === 'brush' ? [doc.find(s.target)] : ed.selected() ? [ed.selected()] : doc.objects.filter((o) => o.mask && overlaps(o.bounds, reach));
      for (const t of targets) {
        if (!t || !t.mask) continue;
        const o = this.writable(t);
        const area = paintStroke(o.mask, doc.width, doc.height, from.x, from.y, to.x, to.y, r, this.mode === 'brush' ? 1 : 0);
        if (area && this.mode === 'brush') o.bounds = unionRect(o.bounds, area);
        touched = unionRect(touched, area);
      }
    }
    if (touched) {
      s.touched = unionRect(s.touched, touched);
      ed.renderMasks(touched);
    }
  }

  /** The object with a mask of its own to paint into (copied once per stroke; snapshots keep the old one). */
  writable(o) {
    const s = this.stroke;
    const doc = this.editor.doc;
    if (s.copied.has(o.id)) return doc.find(o.id);
    s.copied.add(o.id);
    const fresh = { ...o, mask: o.mask.slice(), bounds: o.bounds ? { ...o.bounds } : null, polygon: null, prelabel: false };
    doc.objects = doc.objects.map((x) => (x.id === o.id ? fresh : x));
    return fresh;
  }

  draw(ctx) {
    const ed = this.editor;
    const pt = ed.cursor;
    if (!pt) return;
    const radius = Math.max(1, (ed.brushSize / 2) * ed.view.scale);
    ctx.save();
    ctx.beginPath();
    ctx.arc(pt.sx, pt.sy, radius, 0, Math.PI * 2);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = 'rgba(0,0,0,0.7)';
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(pt.sx, pt.sy, radius, 0, Math.PI * 2);
    ctx.setLineDash([3, 3]);
    ctx.strokeStyle = this.mode === 'eraser' ? '#ffffff' : ed.colour(ed.classIndex);
    ctx.stroke();
    ctx.restore();
  }

  cursor() {
    return 'none';
  }
}

function overlaps(b, r) {
  return b && b.x1 < r.x2 && r.x1 < b.x2 && b.y1 < r.y2 && r.y1 < b.y2;
}
