// A small line chart on a canvas: a few series over a shared x axis, light grid, last value labelled.

/**
 * Sizes the canvas's backing store to its CSS box at the screen's pixel ratio and clears it; returns the
 * context and the CSS size, or null while the canvas is not laid out.
 */
export function prepareCanvas(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (!w || !h) return null;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

export function drawChart(canvas, series, { min = 0, max = null, empty = 'no data yet', format = (v) => v.toFixed(2) } = {}) {
  const prepared = prepareCanvas(canvas);
  if (!prepared) return;
  const { ctx, w, h } = prepared;
  const pad = { l: 6, r: 42, t: 16, b: 6 };
  const n = Math.max(0, ...series.map((s) => s.values.length));
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  // Legend
  let lx = pad.l;
  for (const s of series) {
    ctx.fillStyle = s.colour;
    ctx.fillRect(lx, 5, 8, 3);
    ctx.fillStyle = '#8e95a5';
    ctx.fillText(s.label, lx + 11, 7);
    lx += ctx.measureText(s.label).width + 22;
  }
  if (n === 0) {
    ctx.fillStyle = '#6b7282';
    ctx.textAlign = 'center';
    ctx.fillText(empty, w / 2, (h + pad.t) / 2);
    ctx.textAlign = 'left';
    return;
  }
  const all = series.flatMap((s) => s.values).filter((v) => Number.isFinite(v));
  let lo = min ?? Math.min(...all);
  let hi = max ?? Math.max(...all);
  if (!(hi > lo)) hi = lo + 1;
  const x = (i) => pad.l + (n === 1 ? (w - pad.l - pad.r) / 2 : (i / (n - 1)) * (w - pad.l - pad.r));
  const y = (v) => pad.t + (1 - (v - lo) / (hi - lo)) * (h - pad.t - pad.b);
  ctx.strokeStyle = 'rgba(255,255,255,0.07)';
  ctx.lineWidth = 1;
  for (const f of [0, 0.5, 1]) {
    const gy = Math.round(y(lo + f * (hi - lo))) + 0.5;
    ctx.beginPath();
    ctx.moveTo(pad.l, gy);
    ctx.lineTo(w - pad.r, gy);
    ctx.stroke();
  }
  ctx.fillStyle = '#6b7282';
  ctx.fillText(format(hi), w - pad.r + 4, y(hi));
  ctx.fillText(format(lo), w - pad.r + 4, y(lo));
  for (const s of series) {
    const pts = s.values.map((v, i) => [x(i), v]).filter(([, v]) => Number.isFinite(v));
    if (pts.length === 0) continue;
    ctx.strokeStyle = s.colour;
    ctx.lineWidth = 1.6;
    ctx.beginPath();
    pts.forEach(([px, v], i) => (i === 0 ? ctx.moveTo(px, y(v)) : ctx.lineTo(px, y(v))));
    ctx.stroke();
    const [px, v] = pts[pts.length - 1];
    ctx.fillStyle = s.colour;
    ctx.beginPath();
    ctx.arc(px, y(v), 2.5, 0, Math.PI * 2);
    ctx.fill();
  }
}
