// Boxes: drag on empty image to draw; click a box to select it, drag it to move, drag a handle to
// resize; Shift+drag draws even over other boxes. Moving or resizing a pre-label makes it the human's.

import { boxHandles, HANDLE_SIZE } from '../canvas/renderer.js';
import { makeObject } from '../annotation.js';

const MIN_SIZE = 2; // image pixels
const CURSORS = { nw: 'nwse-resize', se: 'nwse-resize', ne: 'nesw-resize', sw: 'nesw-resize', n: 'ns-resize', s: 'ns-resize', e: 'ew-resize', w: 'ew-resize' };

export class BoxTool {
  name = 'box';

  constructor(editor) {
    this.editor = editor;
    this.drag = null;
  }

  down(pt, e) {
    const ed = this.editor;
    const sel = ed.selected();
    if (!e.shiftKey) {
      const handle = sel && sel.box ? this.handleAt(sel.box, pt) : null;
      if (handle) {
        this.drag = { kind: 'resize', id: sel.id, handle, before: ed.snapshot(), orig: { ...sel.box }, start: pt, moved: false };
        return;
      }
      const hit = this.boxAt(pt);
      if (hit) {
        ed.select(hit.id);
        this.drag = { kind: 'move', id: hit.id, before: ed.snapshot(), orig: { ...hit.box }, start: pt, moved: false };
        return;
      }
    }
    ed.select(null);
    this.drag = { kind: 'draw', start: this.clampPoint(pt), current: this.clampPoint(pt) };
  }

  move(pt) {
    const d = this.drag;
    if (!d) return;
    const ed = this.editor;
    if (d.kind === 'draw') {
      d.current = this.clampPoint(pt);
      return;
    }
    const dx = pt.x - d.start.x;
    const dy = pt.y - d.start.y;
    if (!d.moved && Math.hypot(pt.sx - d.start.sx, pt.sy - d.start.sy) < 3) return;
    d.moved = true;
    const box = d.kind === 'move' ? this.moved(d.orig, dx, dy) : this.resized(d.orig, d.handle, pt);
    ed.doc.replace(d.id, { box, prelabel: false });
  }

  up(pt) {
    const d = this.drag;
    this.drag = null;
    if (!d) return;
    const ed = this.editor;
    if (d.kind === 'draw') {
      const end = this.clampPoint(pt);
      const box = roundBox(normalise({ x1: d.start.x, y1: d.start.y, x2: end.x, y2: end.y }));
      const screenSize = Math.min(Math.abs(pt.sx - d.start.sx), Math.abs(pt.sy - d.start.sy));
      if (box.x2 - box.x1 < MIN_SIZE || box.y2 - box.y1 < MIN_SIZE || screenSize < 4) return; // a click, not a box
      const o = makeObject({ classIndex: ed.classIndex, box });
      ed.change(() => {
        ed.doc.objects = [...ed.doc.objects, o];
      });
      ed.select(o.id);
      return;
    }
    if (d.moved) {
      const o = ed.doc.find(d.id);
      if (o) {
        const box = roundBox(normalise(o.box));
        if (box.x2 - box.x1 < 1 || box.y2 - box.y1 < 1) ed.doc.objects = ed.doc.objects.filter((x) => x.id !== d.id);
        else ed.doc.replace(d.id, { box });
      }
      ed.commit(d.before);
    }
  }

  cancel() {
    if (this.drag && this.drag.before && this.drag.moved) this.editor.doc.restore(this.drag.before);
    this.drag = null;
  }

  draw(ctx) {
    const d = this.drag;
    if (!d || d.kind !== 'draw') return;
    const ed = this.editor;
    const a = ed.view.toScreen(d.start.x, d.start.y);
    const b = ed.view.toScreen(d.current.x, d.current.y);
    ctx.save();
    ctx.strokeStyle = ed.colour(ed.classIndex);
    ctx.lineWidth = 2;
    ctx.setLineDash([4, 3]);
    ctx.strokeRect(Math.min(a.x, b.x), Math.min(a.y, b.y), Math.abs(b.x - a.x), Math.abs(b.y - a.y));
    ctx.restore();
  }

  cursor(pt) {
    if (!pt) return 'crosshair';
    if (this.drag?.kind === 'move') return 'move';
    if (this.drag?.kind === 'resize') return CURSORS[this.drag.handle];
    const sel = this.editor.selected();
    const handle = sel && sel.box ? this.handleAt(sel.box, pt) : null;
    if (handle) return CURSORS[handle];
    return this.boxAt(pt) ? 'move' : 'crosshair';
  }

  handleAt(box, pt) {
    const view = this.editor.view;
    const reach = HANDLE_SIZE / 2 + 3;
    for (const h of boxHandles(box)) {
      const p = view.toScreen(h.x, h.y);
      if (Math.abs(p.x - pt.sx) <= reach && Math.abs(p.y - pt.sy) <= reach) return h.name;
    }
    return null;
  }

  /** The box under the point: the selected one first, then the smallest, so nested boxes stay reachable. */
  boxAt(pt) {
    const ed = this.editor;
    const slack = 3 / ed.view.scale;
    const inside = (b) => pt.x >= b.x1 - slack && pt.x <= b.x2 + slack && pt.y >= b.y1 - slack && pt.y <= b.y2 + slack;
    const sel = ed.selected();
    if (sel && sel.box && inside(sel.box)) return sel;
    let best = null;
    for (const o of ed.doc.objects) {
      if (!o.box || !inside(o.box)) continue;
      if (!best || area(o.box) < area(best.box)) best = o;
    }
    return best;
  }

  moved(b, dx, dy) {
    const { width, height } = this.editor.doc;
    const w = b.x2 - b.x1;
    const h = b.y2 - b.y1;
    const x1 = Math.min(Math.max(0, b.x1 + dx), width - w);
    const y1 = Math.min(Math.max(0, b.y1 + dy), height - h);
    return { x1, y1, x2: x1 + w, y2: y1 + h };
  }

  resized(b, handle, pt) {
    const p = this.clampPoint(pt);
    const box = { ...b };
    if (handle.includes('w')) box.x1 = p.x;
    if (handle.includes('e')) box.x2 = p.x;
    if (handle.includes('n')) box.y1 = p.y;
    if (handle.includes('s')) box.y2 = p.y;
    return box;
  }

  clampPoint(pt) {
    const { width, height } = this.editor.doc;
    return { x: Math.min(width, Math.max(0, pt.x)), y: Math.min(height, Math.max(0, pt.y)), sx: pt.sx, sy: pt.sy };
  }
}

function normalise(b) {
  return { x1: Math.min(b.x1, b.x2), y1: Math.min(b.y1, b.y2), x2: Math.max(b.x1, b.x2), y2: Math.max(b.y1, b.y2) };
}

function roundBox(b) {
  return { x1: Math.round(b.x1), y1: Math.round(b.y1), x2: Math.round(b.x2), y2: Math.round(b.y2) };
}

function area(b) {
  return (b.x2 - b.x1) * (b.y2 - b.y1);
}
