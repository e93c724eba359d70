// The tool column: the task's tools with their keys, brush size, undo/redo and fit.

const ICONS = {
  box: '<rect x="4" y="5" width="16" height="14" rx="1"/>',
  select: '<path d="M6 3l12 9-5.5 1.2L15 19l-2.4 1.1-2.6-5.7L6 18z"/>',
  polygon: '<path d="M5 18L8 5l10 3 2 9z"/><circle cx="5" cy="18" r="1.6"/><circle cx="8" cy="5" r="1.6"/><circle cx="18" cy="8" r="1.6"/><circle cx="20" cy="17" r="1.6"/>',
  brush: '<path d="M14 4l6 6-8 8-6-6z"/><path d="M6 12l-2 8 8-2"/>',
  eraser: '<path d="M3 15l9-9 7 7-7 7H7z"/><path d="M13 20h8"/>',
  fill: '<path d="M4 12l7-7 7 7-7 7z"/><path d="M4 12h14"/><path d="M20 15s1.8 2.2 1.8 3.4a1.8 1.8 0 0 1-3.6 0C18.2 17.2 20 15 20 15z"/>',
  undo: '<path d="M9 14L4 9l5-5"/><path d="M4 9h10a6 6 0 0 1 0 12h-3"/>',
  redo: '<path d="M15 14l5-5-5-5"/><path d="M20 9H10a6 6 0 0 0 0 12h3"/>',
  fit: '<path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5"/>',
};

const TOOL_INFO = {
  box: { label: 'Box', key: 'B' },
  select: { label: 'Select mask', key: 'V' },
  polygon: { label: 'Polygon', key: 'P' },
  brush: { label: 'Brush', key: 'R' },
  eraser: { label: 'Eraser', key: 'E' },
  fill: { label: 'Fill region', key: 'G' },
};

export function renderToolbar(root, tools, { active, brushSize, onTool, onUndo, onRedo, onFit, onBrush }) {
  root.replaceChildren();
  for (const name of tools) {
    const info = TOOL_INFO[name];
    root.append(button(name, `${info.label} (${info.key})`, info.key, name === active, () => onTool(name), `tool-${name}`));
  }
  if (tools.some((t) => t === 'brush' || t === 'eraser')) {
    const size = document.createElement('div');
    size.className = 'brush-size';
    size.title = 'Brush size in image pixels ([ and ])';
    const minus = small('−', () => onBrush(-1));
    const out = document.createElement('output');
    out.id = 'brush-size';
    out.textContent = String(brushSize);
    const plus = small('+', () => onBrush(1));
    size.append(plus, out, minus);
    root.append(size);
  }
  root.append(document.createElement('hr'));
  root.append(button('undo', 'Undo (Ctrl+Z)', '', false, onUndo, 'btn-undo'));
  root.append(button('redo', 'Redo (Ctrl+Shift+Z)', '', false, onRedo, 'btn-redo'));
  root.append(button('fit', 'Fit to window (F)', 'F', false, onFit, 'btn-fit'));
}

export function updateToolbar(root, { active, brushSize, canUndo, canRedo }) {
  for (const b of root.querySelectorAll('.tool[data-tool]')) b.classList.toggle('active', b.dataset.tool === active);
  const out = root.querySelector('#brush-size');
  if (out) out.textContent = String(brushSize);
  const undo = root.querySelector('#btn-undo');
  if (undo) undo.disabled = !canUndo;
  const redo = root.querySelector('#btn-redo');
  if (redo) redo.disabled = !canRedo;
}

function button(icon, title, key, active, onClick, id) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `tool${active ? ' active' : ''}`;
  b.id = id;
  b.title = title;
  b.setAttribute('aria-label', title);
  if (TOOL_INFO[icon]) b.dataset.tool = icon;
  b.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true">${ICONS[icon]}</svg>${key ? `<span class="key">${key}</span>` : ''}`;
  b.addEventListener('click', onClick);
  return b;
}

function small(text, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'tool';
  b.style.height = '22px';
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}
