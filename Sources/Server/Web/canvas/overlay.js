// Masks as one translucent image-sized layer in class colours, with a solid outline on their edges.
// Re-rendered only inside the area an edit touched, so painting stays fast on large images.
// Pre-labels are drawn striped so they read apart from the human's masks.

import { rect } from '../mask/raster.js';

const FILL = 0.38;
const FILL_SELECTED = 0.58;
const EDGE = 0.95;
const PRE_STRIPE = 0.42;
const PRE_GAP = 0.1;

export class MaskOverlay {
  constructor() {
    this.canvas = document.createElement('canvas');
    this.ctx = this.canvas.getContext('2d');
    this.width = 0;
    this.height = 0;
  }

  reset(width, height) {
    this.width = width;
    this.height = height;
    this.canvas.width = width;
    this.canvas.height = height;
  }

  /** Redraws `area` (default: everything) of the layer from the document. */
  render(doc, palette, selectedId, area = null) {
    if (!doc || doc.task === 'detection' || !this.width) return;
    const { width, height } = this;
    const a = area
      ? rect(Math.max(0, area.x1 - 1), Math.max(0, area.y1 - 1), Math.min(width, area.x2 + 1), Math.min(height, area.y2 + 1))
      : rect(0, 0, width, height);
    const aw = a.x2 - a.x1;
    const ah = a.y2 - a.y1;
    if (aw <= 0 || ah <= 0) return;
    const image = this.ctx.createImageData(aw, ah);
    if (doc.task === 'semantic') {
      this.paintLabels(image.data, a, doc.prelabelLabels || doc.labels, !!doc.prelabelLabels, palette);
    } else {
      const ordered = doc.objects.filter((o) => o.mask && o.id !== selectedId);
      const selected = doc.find(selectedId);
      if (selected && selected.mask) ordered.push(selected);
      for (const o of ordered) this.paintMask(image.data, a, o, palette, o.id === selectedId);
    }
    this.ctx.putImageData(image, a.x1, a.y1);
  }

  paintMask(out, a, o, palette, selected) {
    const { width, height } = this;
    const b = o.bounds;
    if (!b) return;
    const x1 = Math.max(a.x1, b.x1);
    const y1 = Math.max(a.y1, b.y1);
    const x2 = Math.min(a.x2, b.x2);
    const y2 = Math.min(a.y2, b.y2);
    const [r, g, bl] = palette(o.classIndex);
    const m = o.mask;
    const aw = a.x2 - a.x1;
    for (let y = y1; y < y2; y++) {
      for (let x = x1; x < x2; x++) {
        const i = y * width + x;
        if (!m[i]) continue;
        const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1 || !m[i - 1] || !m[i + 1] || !m[i - width] || !m[i + width];
        let alpha;
        if (edge) alpha = EDGE;
        else if (o.prelabel) alpha = ((x + y) >> 2) & 1 ? PRE_STRIPE : PRE_GAP;
        else alpha = selected ? FILL_SELECTED : FILL;
        const k = ((y - a.y1) * aw + (x - a.x1)) * 4;
        const white = edge && selected;
        out[k] = white ? 255 : r;
        out[k + 1] = white ? 255 : g;
        out[k + 2] = white ? 255 : bl;
        out[k + 3] = alpha * 255;
      }
    }
  }

  paintLabels(out, a, labels, pending, palette) {
    const { width, height } = this;
    const aw = a.x2 - a.x1;
    for (let y = a.y1; y < a.y2; y++) {
      for (let x = a.x1; x < a.x2; x++) {
        const i = y * width + x;
        const l = labels[i];
        if (l === 0) continue; // class 0 is background
        const edge =
          (x > 0 && labels[i - 1] !== l) || (x < width - 1 && labels[i + 1] !== l) ||
          (y > 0 && labels[i - width] !== l) || (y < height - 1 && labels[i + width] !== l);
        let alpha;
        if (edge) alpha = EDGE;
        else if (pending) alpha = ((x + y) >> 2) & 1 ? PRE_STRIPE : PRE_GAP;
        else alpha = FILL;
        const [r, g, b] = palette(l);
        const k = ((y - a.y1) * aw + (x - a.x1)) * 4;
        out[k] = r;
        out[k + 1] = g;
        out[k + 2] = b;
        out[k + 3] = alpha * 255;
      }
    }
  }
}
