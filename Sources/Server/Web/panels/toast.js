// Messages for the annotator: errors stay until dismissed (they explain what to fix), notices fade.

const container = () => document.getElementById('toasts');

/** kind: 'error' | 'warn' | 'ok' | 'info'. Returns the element (tests and callers may remove it). */
export function toast(message, kind = 'info', { timeout } = {}) {
  const el = document.createElement('div');
  el.className = `toast ${kind}`;
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  el.dataset.kind = kind;
  const text = document.createElement('span');
  text.className = 'msg';
  text.textContent = message;
  const close = document.createElement('button');
  close.type = 'button';
  close.title = 'Dismiss';
  close.textContent = '×';
  close.addEventListener('click', () => el.remove());
  el.append(text, close);
  const box = container();
  // The same notice twice in a row replaces the first instead of stacking.
  const last = box.lastElementChild;
  if (last && last.querySelector('.msg')?.textContent === message) last.remove();
  box.append(el);
  while (box.children.length > 5) box.firstElementChild.remove();
  const ms = timeout ?? (kind === 'error' ? 0 : kind === 'warn' ? 6000 : 2500);
  if (ms > 0) setTimeout(() => el.remove(), ms);
  return el;
}
