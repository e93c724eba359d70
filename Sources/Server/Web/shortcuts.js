// Keyboard shortcuts: one table drives both the key handling and the help overlay (?), so the
// overlay can never list a key that does not work.

const ctrl = (e) => e.ctrlKey || e.metaKey;
const key = (k) => (e) => !ctrl(e) && !e.altKey && e.key.toLowerCase() === k;

export const SHORTCUTS = [
  { group: 'Images', keys: ['N', '→'], label: 'Next unlabelled image', action: 'next', match: (e) => key('n')(e) || (!ctrl(e) && e.key === 'ArrowRight') },
  { group: 'Images', keys: ['←'], label: 'Previous image', action: 'prev', match: (e) => !ctrl(e) && e.key === 'ArrowLeft' },
  { group: 'Images', keys: ['S', 'Enter'], label: 'Submit, then next image', action: 'submit', match: (e) => key('s')(e) || (!ctrl(e) && e.key === 'Enter') },
  { group: 'Images', keys: ['K'], label: 'Skip image', action: 'skip', match: key('k') },
  { group: 'Labels', keys: ['A'], label: 'Accept all pre-labels', action: 'accept', match: key('a') },
  { group: 'Labels', keys: ['1', '…', '9'], label: 'Choose class (re-classes the selection)', action: 'class', match: (e) => !ctrl(e) && !e.altKey && /^[1-9]$/.test(e.key), repeat: false },
  { group: 'Labels', keys: ['Del', 'Backspace'], label: 'Delete the selected shape', action: 'delete', match: (e) => !ctrl(e) && (e.key === 'Delete' || e.key === 'Backspace') },
  { group: 'Labels', keys: ['Tab', 'Shift+Tab'], label: 'Select next / previous shape', action: 'cycle', match: (e) => !ctrl(e) && e.key === 'Tab' },
  { group: 'Labels', keys: ['Esc'], label: 'Cancel drawing, deselect, close dialogs', action: 'escape', match: (e) => e.key === 'Escape' },
  { group: 'Labels', keys: ['Ctrl+Z'], label: 'Undo', action: 'undo', match: (e) => ctrl(e) && !e.shiftKey && e.key.toLowerCase() === 'z', repeat: true },
  { group: 'Labels', keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], label: 'Redo', action: 'redo', match: (e) => ctrl(e) && ((e.shiftKey && e.key.toLowerCase() === 'z') || e.key.toLowerCase() === 'y'), repeat: true },
  { group: 'Tools', keys: ['B'], label: 'Box (detection)', action: 'tool:box', match: key('b') },
  { group: 'Tools', keys: ['V'], label: 'Select mask (instance)', action: 'tool:select', match: key('v') },
  { group: 'Tools', keys: ['P'], label: 'Polygon: click points, Enter or first point closes', action: 'tool:polygon', match: key('p') },
  { group: 'Tools', keys: ['R'], label: 'Brush', action: 'tool:brush', match: key('r') },
  { group: 'Tools', keys: ['E'], label: 'Eraser', action: 'tool:eraser', match: key('e') },
  { group: 'Tools', keys: ['G'], label: 'Fill a closed region', action: 'tool:fill', match: key('g') },
  { group: 'Tools', keys: ['[', ']'], label: 'Brush smaller / larger', action: 'brush-size', match: (e) => !ctrl(e) && (e.key === '[' || e.key === ']'), repeat: true },
  { group: 'Tools', keys: ['H'], label: 'Hide / show masks', action: 'toggle-masks', match: key('h') },
  { group: 'View', keys: ['F'], label: 'Fit image to window', action: 'fit', match: key('f') },
  { group: 'View', keys: ['+', '−'], label: 'Zoom in / out (or mouse wheel)', action: 'zoom', match: (e) => !ctrl(e) && ['+', '=', '-', '_'].includes(e.key), repeat: true },
  { group: 'View', keys: ['Space+drag'], label: 'Pan (or drag with the middle button)', action: null },
  { group: 'View', keys: ['Shift+drag'], label: 'Draw a box over other boxes', action: null },
  { group: 'Help', keys: ['?'], label: 'Show / hide this help', action: 'help', match: (e) => e.key === '?' },
];

/**
 * Routes keydown events: the active tool first (a polygon being drawn owns Enter, Backspace and Esc),
 * then the table. `handlers[action](event)` does the work.
 */
export function bindShortcuts({ handlers, tool, helpOpen, editor }) {
  window.addEventListener('keydown', (e) => {
    // A modal <dialog> (Project) owns the keyboard, Esc included: it closes itself.
    if (document.querySelector('dialog[open]')) return;
    const typing = e.target instanceof HTMLElement && e.target.closest('input, textarea, select');
    if (typing && e.key !== 'Escape') return;
    if (e.code === 'Space' && !typing) {
      e.preventDefault();
      editor.setSpace(true);
      return;
    }
    if (helpOpen()) {
      if (e.key === 'Escape' || e.key === '?') {
        e.preventDefault();
        handlers.help(e);
      }
      return;
    }
    const t = tool();
    if (t?.key && !ctrl(e) && t.key(e)) {
      e.preventDefault();
      return;
    }
    for (const s of SHORTCUTS) {
      if (!s.action || !s.match(e)) continue;
      if (e.repeat && !s.repeat) {
        e.preventDefault();
        return;
      }
      e.preventDefault();
      const [name, arg] = s.action.split(':');
      handlers[name]?.(e, arg);
      return;
    }
  });
  window.addEventListener('keyup', (e) => {
    if (e.code === 'Space') editor.setSpace(false);
  });
  window.addEventListener('blur', () => editor.setSpace(false));
}

/** Fills the help overlay from the table. */
export function renderHelp(grid) {
  grid.replaceChildren();
  let group = null;
  for (const s of SHORTCUTS) {
    if (s.group !== group) {
      group = s.group;
      const h = document.createElement('h3');
      h.textContent = group;
      grid.append(h);
    }
    const row = document.createElement('div');
    row.className = 'row';
    const label = document.createElement('span');
    label.textContent = s.label;
    const keys = document.createElement('span');
    keys.className = 'keys';
    for (const k of s.keys) {
      if (k === '…') {
        keys.append('…');
        continue;
      }
      const kbd = document.createElement('kbd');
      kbd.textContent = k;
      keys.append(kbd);
    }
    row.append(label, keys);
    grid.append(row);
  }
}
