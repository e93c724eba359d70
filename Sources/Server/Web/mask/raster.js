// Pixel operations on row-major masks and label maps (Uint8Array, one byte per pixel).
// A pixel (x, y) covers [x, x+1) × [y, y+1); shapes include a pixel when its centre is inside, the
// same rule as the server's PolygonRaster, so a polygon rasterises to the same mask on both sides.

/** A pixel rectangle, x2/y2 exclusive. */
export function rect(x1, y1, x2, y2) {
  return { x1, y1, x2, y2 };
}

export function unionRect(a, b) {
  if (!a) return b;
  if (!b) return a;
  return rect(Math.min(a.x1, b.x1), Math.min(a.y1, b.y1), Math.max(a.x2, b.x2), Math.max(a.y2, b.y2));
}

/** The tight bounds of the set pixels of a binary mask, or null when it is empty. */
export function maskBounds(mask, width, height) {
  let x1 = width;
  let y1 = height;
  let x2 = -1;
  let y2 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1;
    let last = -1;
    for (let x = 0; x < width; x++) {
      if (mask[row + x]) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first >= 0) {
      if (first < x1) x1 = first;
      if (last > x2) x2 = last;
      if (y < y1) y1 = y;
      y2 = y;
    }
  }
  return x2 < 0 ? null : rect(x1, y1, x2 + 1, y2 + 1);
}

/** Sets every pixel whose centre lies within `radius` of (cx, cy) to `value`; returns the touched rect or null. */
export function paintDisk(data, width, height, cx, cy, radius, value) {
  const x1 = Math.max(0, Math.floor(cx - radius));
  const y1 = Math.max(0, Math.floor(cy - radius));
  const x2 = Math.min(width, Math.ceil(cx + radius) + 1);
  const y2 = Math.min(height, Math.ceil(cy + radius) + 1);
  if (x1 >= x2 || y1 >= y2) return null;
  const r2 = radius * radius;
  for (let y = y1; y < y2; y++) {
    const dy = y + 0.5 - cy;
    for (let x = x1; x < x2; x++) {
      const dx = x + 0.5 - cx;
      if (dx * dx + dy * dy <= r2) data[y * width + x] = value;
    }
  }
  return rect(x1, y1, x2, y2);
}

/** Paints a round-capped line of disks from (x0, y0) to (x1, y1); returns the touched rect or null. */
export function paintStroke(data, width, height, x0, y0, x1, y1, radius, value) {
  const length = Math.hypot(x1 - x0, y1 - y0);
  const step = Math.max(0.5, radius / 3);
  const n = Math.max(1, Math.ceil(length / step));
  let touched = null;
  for (let i = 0; i <= n; i++) {
    const t = i / n;
    touched = unionRect(touched, paintDisk(data, width, height, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, radius, value));
  }
  return touched;
}

/**
 * Fills a polygon ([[x, y], ...], image pixels) into `data` with `value` by the even-odd rule on pixel
 * centres; a centre exactly on the right edge is outside (half-open). Returns the touched rect or null.
 */
export function fillPolygon(data, width, height, points, value) {
  if (points.length < 3) return null;
  let touched = null;
  const ys = points.map((p) => p[1]);
  const yStart = Math.max(0, Math.floor(Math.min(...ys)));
  const yEnd = Math.min(height - 1, Math.ceil(Math.max(...ys)));
  const xs = [];
  for (let y = yStart; y <= yEnd; y++) {
    const cy = y + 0.5;
    xs.length = 0;
    for (let i = 0; i < points.length; i++) {
      const [ax, ay] = points[i];
      const [bx, by] = points[(i + 1) % points.length];
      if (ay <= cy !== by <= cy) xs.push(ax + ((cy - ay) / (by - ay)) * (bx - ax));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const start = Math.max(0, Math.ceil(xs[k] - 0.5));
      const end = Math.min(width - 1, Math.ceil(xs[k + 1] - 0.5) - 1);
      if (start <= end) {
        data.fill(value, y * width + start, y * width + end + 1);
        touched = unionRect(touched, rect(start, y, end + 1, y + 1));
      }
    }
  }
  return touched;
}

/**
 * The 4-connected region around pixel (x, y) of pixels for which `inside(index)` holds.
 * Returns {pixels: Int32Array of indices, touchesBorder, bounds}.
 */
export function floodRegion(width, height, x, y, inside) {
  const start = y * width + x;
  const seen = new Uint8Array(width * height);
  const queue = new Int32Array(width * height);
  let head = 0;
  let tail = 0;
  if (!inside(start)) return { pixels: new Int32Array(0), touchesBorder: false, bounds: null };
  queue[tail++] = start;
  seen[start] = 1;
  let touchesBorder = false;
  let x1 = x;
  let y1 = y;
  let x2 = x;
  let y2 = y;
  while (head < tail) {
    const i = queue[head++];
    const px = i % width;
    const py = (i - px) / width;
    if (px === 0 || py === 0 || px === width - 1 || py === height - 1) touchesBorder = true;
    if (px < x1) x1 = px;
    if (px > x2) x2 = px;
    if (py < y1) y1 = py;
    if (py > y2) y2 = py;
    if (px > 0 && !seen[i - 1] && inside(i - 1)) { seen[i - 1] = 1; queue[tail++] = i - 1; }
    if (px < width - 1 && !seen[i + 1] && inside(i + 1)) { seen[i + 1] = 1; queue[tail++] = i + 1; }
    if (py > 0 && !seen[i - width] && inside(i - width)) { seen[i - width] = 1; queue[tail++] = i - width; }
    if (py < height - 1 && !seen[i + width] && inside(i + width)) { seen[i + width] = 1; queue[tail++] = i + width; }
  }
  return { pixels: queue.subarray(0, tail), touchesBorder, bounds: rect(x1, y1, x2 + 1, y2 + 1) };
}
