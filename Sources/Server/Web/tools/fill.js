// Fill a closed region with one click.
// Instance: fills the hole the selected object's mask encloses around the click (a region open to
// the image border is refused: it is not closed). Semantic: fills the connected region of the
// clicked class with the current class, like a paint bucket.

import { floodRegion, unionRect } from '../mask/raster.js';

export class FillTool {
  name = 'fill';

  constructor(editor) {
    this.editor = editor;
  }

  down(pt) {
    const ed = this.editor;
    const doc = ed.doc;
    const x = Math.floor(pt.x);
    const y = Math.floor(pt.y);
    if (x < 0 || y < 0 || x >= doc.width || y >= doc.height) return;
    const { width, height } = doc;
    if (doc.task === 'semantic') {
      const shown = doc.prelabelLabels || doc.labels;
      const from = shown[y * width + x];
      if (from === ed.classIndex) return ed.notify(`That region is already ${ed.className(from)}.`, 'info');
      const region = floodRegion(width, height, x, y, (i) => shown[i] === from);
      ed.change(() => {
        const labels = doc.editableLabels().slice();
        for (const i of region.pixels) labels[i] = ed.classIndex;
        doc.labels = labels;
      });
      ed.renderMasks(region.bounds);
      return;
    }
    const o = ed.selected();
    if (!o || !o.mask) {
      return ed.notify('Select an object first, then click inside the region its outline encloses.', 'warn');
    }
    if (o.mask[y * width + x]) return ed.notify('Click inside a hole of the selected object, not on the object itself.', 'info');
    const region = floodRegion(width, height, x, y, (i) => !o.mask[i]);
    if (region.touchesBorder) {
      return ed.notify('That region is not closed: it reaches the image border. Close the outline with the brush first.', 'warn');
    }
    ed.change(() => {
      const mask = o.mask.slice();
      for (const i of region.pixels) mask[i] = 1;
      doc.replace(o.id, { mask, bounds: unionRect(o.bounds, region.bounds), polygon: null, prelabel: false });
    });
    ed.renderMasks(region.bounds);
  }

  cursor() {
    return 'cell';
  }
}
