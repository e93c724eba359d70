// The objects of the current image: class, size or area, pre-label score; click to select.

export function renderObjects(list, countEl, editor) {
  const doc = editor.doc;
  list.replaceChildren();
  if (!doc) {
    countEl.textContent = '0';
    return;
  }
  if (doc.task === 'semantic') {
    const counts = new Map();
    const labels = doc.prelabelLabels || doc.labels;
    for (let i = 0; i < labels.length; i++) if (labels[i]) counts.set(labels[i], (counts.get(labels[i]) || 0) + 1);
    countEl.textContent = String(counts.size);
    for (const [label, pixels] of [...counts.entries()].sort((a, b) => a[0] - b[0])) {
      list.append(row(editor.colour(label), editor.className(label), `${(100 * pixels / labels.length).toFixed(1)} %`, doc.prelabelLabels ? 'pre-label' : null, false));
    }
    if (counts.size === 0) list.append(empty('No pixels labelled yet.'));
    return;
  }
  countEl.textContent = String(doc.objects.length);
  doc.objects.forEach((o, n) => {
    const b = o.box || o.bounds;
    const size = b ? `${Math.round(b.x2 - b.x1)}×${Math.round(b.y2 - b.y1)}` : '';
    const pre = o.prelabel ? `pre-label${o.score != null ? ` ${o.score.toFixed(2)}` : ''}` : null;
    const li = row(editor.colour(o.classIndex), `${n + 1}. ${editor.className(o.classIndex)}`, size, pre, o.id === editor.selectedId);
    li.dataset.id = String(o.id);
    li.addEventListener('click', () => editor.select(o.id));
    list.append(li);
  });
  if (doc.objects.length === 0) list.append(empty(doc.task === 'detection' ? 'No boxes yet: drag on the image to draw one.' : 'No objects yet: draw a polygon (P) or paint (R).'));
  list.querySelector('.selected')?.scrollIntoView({ block: 'nearest' });
}

function row(colour, name, meta, pre, selected) {
  const li = document.createElement('li');
  if (selected) li.className = 'selected';
  const swatch = document.createElement('span');
  swatch.className = 'swatch';
  swatch.style.background = colour;
  const label = document.createElement('span');
  label.className = 'name';
  label.textContent = name;
  li.append(swatch, label);
  if (pre) {
    const p = document.createElement('span');
    p.className = 'pre';
    p.textContent = pre;
    li.append(p);
  }
  const m = document.createElement('span');
  m.className = 'meta';
  m.textContent = meta;
  li.append(m);
  return li;
}

function empty(text) {
  const li = document.createElement('li');
  li.className = 'empty';
  li.textContent = text;
  return li;
}
