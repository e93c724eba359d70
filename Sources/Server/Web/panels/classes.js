// The class picker: colour, name and number key of every class; the active one is highlighted.

export function renderClasses(list, classes, active, task, onPick) {
  list.replaceChildren();
  classes.forEach((c, i) => {
    const li = document.createElement('li');
    li.dataset.index = String(i);
    li.className = i === active ? 'active' : '';
    li.title = `${c.name}${i < 9 ? ` (key ${i + 1})` : ''}`;
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = task === 'semantic' && i === 0 ? 'transparent' : c.colour;
    if (task === 'semantic' && i === 0) swatch.style.outline = '1px dashed #8e95a5';
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = task === 'semantic' && i === 0 ? `${c.name} (unlabelled)` : c.name;
    li.append(swatch, name);
    if (i < 9) {
      const kbd = document.createElement('kbd');
      kbd.textContent = String(i + 1);
      li.append(kbd);
    }
    li.addEventListener('click', () => onPick(i));
    list.append(li);
  });
}
