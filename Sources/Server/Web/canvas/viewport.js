// Image ↔ screen mapping for the canvas: screen = image * scale + offset (CSS pixels of the canvas).

const MIN_SCALE = 0.02;
const MAX_SCALE = 64;

export class Viewport {
  constructor() {
    this.scale = 1;
    this.ox = 0;
    this.oy = 0;
    this.width = 0; // canvas size in CSS pixels
    this.height = 0;
    this.imageWidth = 0;
    this.imageHeight = 0;
    this.fitted = true; // re-fit on resize until the user zooms or pans
  }

  setCanvasSize(width, height) {
    this.width = width;
    this.height = height;
    if (this.fitted) this.fit();
  }

  setImage(width, height) {
    this.imageWidth = width;
    this.imageHeight = height;
    this.fit();
  }

  /** Shows the whole image centred, with a small margin. */
  fit() {
    this.fitted = true;
    if (!this.imageWidth || !this.width) return;
    const margin = 16;
    this.scale = Math.max(
      MIN_SCALE,
      Math.min((this.width - 2 * margin) / this.imageWidth, (this.height - 2 * margin - 24) / this.imageHeight),
    );
    this.ox = (this.width - this.imageWidth * this.scale) / 2;
    this.oy = (this.height - 24 - this.imageHeight * this.scale) / 2;
  }

  /** Zooms by `factor` keeping the image point under (sx, sy) in place. */
  zoomAt(sx, sy, factor) {
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.scale * factor));
    const ix = (sx - this.ox) / this.scale;
    const iy = (sy - this.oy) / this.scale;
    this.scale = scale;
    this.ox = sx - ix * scale;
    this.oy = sy - iy * scale;
    this.fitted = false;
  }

  panBy(dx, dy) {
    this.ox += dx;
    this.oy += dy;
    this.fitted = false;
  }

  toImage(sx, sy) {
    return { x: (sx - this.ox) / this.scale, y: (sy - this.oy) / this.scale };
  }

  toScreen(x, y) {
    return { x: x * this.scale + this.ox, y: y * this.scale + this.oy };
  }
}
