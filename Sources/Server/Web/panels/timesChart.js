// Measured seconds per image against images labelled: one dot per timed submission coloured by
// annotator, a running median per annotator, and the team's running median in white. The team's
// measured learning curve: it should fall as the live model learns.

import { prepareCanvas } from './chart.js';

const COLOURS = ['#4c8dff', '#3fb97f', '#e0a43a', '#d65db1', '#56c1d6', '#b58cff', '#ff7a59', '#9bc53d'];
/** Points in each running median: enough to smooth a person's pace, few enough to follow it. */
const WINDOW = 9;

/** `times`: the API's annotation times ({ labelledIndex, seconds, annotator }); untimed ones are left out. */
export function drawTimesChart(canvas, times) {
  const prepared = prepareCanvas(canvas);
  if (!prepared) return;
  const { ctx, w, h } = prepared;
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const points = times.filter((t) => Number.isFinite(t.seconds)).map((t) => ({ x: t.labelledIndex, y: t.seconds, who: t.annotator }));
  const people = [...new Set(points.map((p) => p.who))];
  const colour = (who) => COLOURS[people.indexOf(who) % COLOURS.length];
  const pad = { l: 6, r: 42, t: 16, b: 14 };
  // Legend: the team, then each annotator.
  let lx = pad.l;
  for (const [label, c] of [['team s/image', '#e8eaf0'], ...people.map((p) => [p, colour(p)])]) {
    ctx.fillStyle = c;
    ctx.fillRect(lx, 5, 8, 3);
    ctx.fillStyle = '#8e95a5';
    ctx.fillText(label, lx + 11, 7);
    lx += ctx.measureText(label).width + 22;
  }
  if (points.length === 0) {
    ctx.fillStyle = '#6b7282';
    ctx.textAlign = 'center';
    ctx.fillText('no timed images yet', w / 2, (h + pad.t) / 2);
    ctx.textAlign = 'left';
    return;
  }
  const xMax = Math.max(1, ...points.map((p) => p.x));
  const yMax = Math.max(1, ...points.map((p) => p.y));
  const x = (v) => pad.l + (v / xMax) * (w - pad.l - pad.r);
  const y = (v) => pad.t + (1 - v / yMax) * (h - pad.t - pad.b);
  ctx.strokeStyle = 'rgba(255,255,255,0.07)';
  for (const f of [0, 0.5, 1]) {
    const gy = Math.round(y(f * yMax)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(pad.l, gy);
    ctx.lineTo(w - pad.r, gy);
    ctx.stroke();
  }
  ctx.fillStyle = '#6b7282';
  ctx.fillText(`${Math.round(yMax)} s`, w - pad.r + 4, y(yMax));
  ctx.fillText('0 s', w - pad.r + 4, y(0));
  ctx.fillText(`${xMax} labelled`, w - pad.r - 50, h - 5);
  for (const p of points) {
    ctx.fillStyle = colour(p.who);
    ctx.globalAlpha = 0.5;
    ctx.beginPath();
    ctx.arc(x(p.x), y(p.y), 2, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  for (const who of people) line(ctx, runningMedian(points.filter((p) => p.who === who)), x, y, colour(who), 1.2);
  line(ctx, runningMedian(points), x, y, '#e8eaf0', 2);
}

function line(ctx, pts, x, y, colour, width) {
  if (pts.length < 2) return;
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.beginPath();
  pts.forEach((p, i) => (i === 0 ? ctx.moveTo(x(p.x), y(p.y)) : ctx.lineTo(x(p.x), y(p.y))));
  ctx.stroke();
}

/** The median of each point's trailing window, in labelling order: robust to a coffee-length outlier. */
export function runningMedian(points) {
  const sorted = [...points].sort((a, b) => a.x - b.x);
  return sorted.map((p, i) => {
    const window = sorted.slice(Math.max(0, i - WINDOW + 1), i + 1).map((q) => q.y).sort((a, b) => a - b);
    const m = window.length >> 1;
    const median = window.length % 2 ? window[m] : (window[m - 1] + window[m]) / 2;
    return { x: p.x, y: median };
  });
}
