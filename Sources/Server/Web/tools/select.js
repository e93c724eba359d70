// Select masks (instance segmentation): click an object to select it (the selected one, then the
// smallest under the pointer, wins); drag a vertex of a polygon-shaped object to reshape it.

import { drawSelectedPolygon, endVertexDrag, moveVertex, selectedVertexAt, startVertexDrag } from './polygon.js';

export class SelectTool {
  name = 'select';

  constructor(editor) {
    this.editor = editor;
    this.vertexDrag = null;
  }

  down(pt) {
    if (startVertexDrag(this, pt)) return;
    const hit = this.objectAt(pt);
    this.editor.select(hit ? hit.id : null);
  }

  move(pt) {
    moveVertex(this, pt);
  }

  up() {
    endVertexDrag(this);
  }

  cancel() {
    const d = this.vertexDrag;
    this.vertexDrag = null;
    if (d && d.moved) this.editor.doc.restore(d.before);
  }

  draw(ctx) {
    drawSelectedPolygon(ctx, this.editor);
  }

  cursor(pt) {
    if (this.vertexDrag) return 'grabbing';
    if (pt && selectedVertexAt(this.editor, pt) >= 0) return 'grab';
    return pt && this.objectAt(pt) ? 'pointer' : 'default';
  }

  objectAt(pt) {
    const ed = this.editor;
    const doc = ed.doc;
    const x = Math.floor(pt.x);
    const y = Math.floor(pt.y);
    if (x < 0 || y < 0 || x >= doc.width || y >= doc.height) return null;
    const i = y * doc.width + x;
    const sel = ed.selected();
    if (sel && sel.mask && sel.mask[i]) return sel;
    let best = null;
    for (const o of doc.objects) {
      if (!o.mask || !o.mask[i]) continue;
      const area = (o.bounds.x2 - o.bounds.x1) * (o.bounds.y2 - o.bounds.y1);
      if (!best || area < best.area) best = { o, area };
    }
    return best ? best.o : null;
  }
}
