// Draws one frame: the image, the mask layer, boxes and labels, then whatever the active tool shows.
// Boxes are drawn in screen space so lines stay crisp at any zoom.

export const HANDLE_SIZE = 8;

/** The eight resize handles of a box, in image coordinates. */
export function boxHandles(b) {
  const mx = (b.x1 + b.x2) / 2;
  const my = (b.y1 + b.y2) / 2;
  return [
    { name: 'nw', x: b.x1, y: b.y1 }, { name: 'n', x: mx, y: b.y1 }, { name: 'ne', x: b.x2, y: b.y1 },
    { name: 'e', x: b.x2, y: my }, { name: 'se', x: b.x2, y: b.y2 }, { name: 's', x: mx, y: b.y2 },
    { name: 'sw', x: b.x1, y: b.y2 }, { name: 'w', x: b.x1, y: my },
  ];
}

export function drawScene(ctx, editor) {
  const { view, image, overlay, doc } = editor;
  const dpr = window.devicePixelRatio || 1;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#0f1114';
  ctx.fillRect(0, 0, view.width, view.height);
  if (!image || !doc) return;

  ctx.save();
  ctx.translate(view.ox, view.oy);
  ctx.scale(view.scale, view.scale);
  ctx.imageSmoothingEnabled = view.scale < 2;
  ctx.drawImage(image, 0, 0);
  if (doc.task !== 'detection' && editor.showMasks) {
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(overlay.canvas, 0, 0);
  }
  ctx.restore();

  const tl = view.toScreen(0, 0);
  ctx.strokeStyle = 'rgba(255,255,255,0.18)';
  ctx.lineWidth = 1;
  ctx.strokeRect(Math.round(tl.x) - 0.5, Math.round(tl.y) - 0.5, Math.round(image.width * view.scale) + 1, Math.round(image.height * view.scale) + 1);

  if (doc.task === 'detection') drawBoxes(ctx, editor);
  else if (doc.task === 'instance') drawInstanceLabels(ctx, editor);
  editor.tool?.draw?.(ctx);
}

function drawBoxes(ctx, editor) {
  const { doc, view } = editor;
  const selected = doc.find(editor.selectedId);
  const ordered = doc.objects.filter((o) => o !== selected);
  if (selected) ordered.push(selected);
  for (const o of ordered) {
    if (!o.box) continue;
    const a = view.toScreen(o.box.x1, o.box.y1);
    const b = view.toScreen(o.box.x2, o.box.y2);
    const colour = editor.colour(o.classIndex);
    const isSelected = o === selected;
    const x = Math.round(Math.min(a.x, b.x)) + 0.5;
    const y = Math.round(Math.min(a.y, b.y)) + 0.5;
    const w = Math.round(Math.abs(b.x - a.x));
    const h = Math.round(Math.abs(b.y - a.y));
    ctx.save();
    if (o.prelabel) {
      ctx.setLineDash([6, 4]);
      ctx.lineWidth = isSelected ? 2.5 : 1.6;
      ctx.strokeStyle = colour;
      ctx.fillStyle = withAlpha(colour, isSelected ? 0.16 : 0.05);
    } else {
      ctx.lineWidth = isSelected ? 2.5 : 2;
      ctx.strokeStyle = colour;
      ctx.fillStyle = withAlpha(colour, isSelected ? 0.22 : 0.1);
    }
    ctx.fillRect(x, y, w, h);
    // A dark halo under the colour keeps boxes visible on any background.
    const colourStroke = ctx.strokeStyle;
    const width = ctx.lineWidth;
    ctx.strokeStyle = 'rgba(0,0,0,0.55)';
    ctx.lineWidth = width + 2;
    ctx.strokeRect(x, y, w, h);
    ctx.strokeStyle = colourStroke;
    ctx.lineWidth = width;
    ctx.strokeRect(x, y, w, h);
    ctx.restore();
    if (o.prelabel) tag(ctx, x, y, `${o.score != null ? o.score.toFixed(2) : 'pre'}`, colour, true);
    else if (isSelected) tag(ctx, x, y, editor.className(o.classIndex), colour, false);
    if (isSelected) {
      for (const hnd of boxHandles(o.box)) {
        const p = view.toScreen(hnd.x, hnd.y);
        ctx.fillStyle = '#ffffff';
        ctx.strokeStyle = colour;
        ctx.lineWidth = 1.5;
        ctx.fillRect(p.x - HANDLE_SIZE / 2, p.y - HANDLE_SIZE / 2, HANDLE_SIZE, HANDLE_SIZE);
        ctx.strokeRect(p.x - HANDLE_SIZE / 2, p.y - HANDLE_SIZE / 2, HANDLE_SIZE, HANDLE_SIZE);
      }
    }
  }
}

function drawInstanceLabels(ctx, editor) {
  const { doc, view } = editor;
  for (const o of doc.objects) {
    if (!o.bounds) continue;
    const isSelected = o.id === editor.selectedId;
    if (!o.prelabel && !isSelected) continue;
    const a = view.toScreen(o.bounds.x1, o.bounds.y1);
    const b = view.toScreen(o.bounds.x2, o.bounds.y2);
    const colour = editor.colour(o.classIndex);
    ctx.save();
    ctx.setLineDash([5, 4]);
    ctx.lineWidth = 1;
    ctx.strokeStyle = isSelected ? 'rgba(255,255,255,0.8)' : withAlpha(colour, 0.8);
    ctx.strokeRect(Math.round(a.x) + 0.5, Math.round(a.y) + 0.5, Math.round(b.x - a.x), Math.round(b.y - a.y));
    ctx.restore();
    const text = o.prelabel ? `${o.score != null ? o.score.toFixed(2) : 'pre'}` : editor.className(o.classIndex);
    tag(ctx, Math.round(a.x) + 0.5, Math.round(a.y) + 0.5, text, colour, o.prelabel);
  }
}

/** A small label above a shape's top-left corner. */
export function tag(ctx, x, y, text, colour, outlined) {
  ctx.save();
  ctx.font = '600 11px system-ui, sans-serif';
  const w = ctx.measureText(text).width + 8;
  const h = 15;
  const ty = y - h < 0 ? y : y - h;
  ctx.fillStyle = outlined ? 'rgba(15,17,20,0.85)' : colour;
  ctx.fillRect(x - 0.5, ty, w, h);
  if (outlined) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1;
    ctx.strokeRect(x, ty + 0.5, w - 1, h - 1);
  }
  ctx.fillStyle = outlined ? colour : readableOn(colour);
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x + 3.5, ty + h / 2 + 0.5);
  ctx.restore();
}

/** Polygon outline with vertex handles; `closed` joins the last point to the first. */
export function drawPolygon(ctx, view, points, colour, { closed = true, highlightFirst = false, vertexSize = 7 } = {}) {
  if (points.length === 0) return;
  ctx.save();
  ctx.beginPath();
  points.forEach(([x, y], i) => {
    const p = view.toScreen(x, y);
    if (i === 0) ctx.moveTo(p.x, p.y);
    else ctx.lineTo(p.x, p.y);
  });
  if (closed) ctx.closePath();
  ctx.lineWidth = 2;
  ctx.strokeStyle = colour;
  ctx.stroke();
  points.forEach(([x, y], i) => {
    const p = view.toScreen(x, y);
    const s = i === 0 && highlightFirst ? vertexSize + 5 : vertexSize;
    ctx.fillStyle = i === 0 && highlightFirst ? colour : '#ffffff';
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.fillRect(p.x - s / 2, p.y - s / 2, s, s);
    ctx.strokeRect(p.x - s / 2, p.y - s / 2, s, s);
  });
  ctx.restore();
}

export function withAlpha(hex, alpha) {
  const [r, g, b] = hexToRgb(hex);
  return `rgba(${r},${g},${b},${alpha})`;
}

export function hexToRgb(hex) {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex || '');
  if (!m) return [160, 160, 160];
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function readableOn(hex) {
  const [r, g, b] = hexToRgb(hex);
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#111' : '#fff';
}
