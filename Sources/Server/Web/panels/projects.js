// The project picker and the labelling progress bar in the top bar.

export function renderProjectPicker(select, projects, activeId, onPick) {
  select.replaceChildren();
  for (const p of projects) {
    const option = document.createElement('option');
    option.value = String(p.id);
    option.textContent = `${p.name} · ${p.task}`;
    option.selected = p.id === activeId;
    select.append(option);
  }
  select.disabled = projects.length === 0;
  select.onchange = () => onPick(Number(select.value));
}

export function renderProgress(root, counts) {
  const fill = root.querySelector('#progress-fill');
  const text = root.querySelector('#progress-text');
  if (!counts) {
    fill.style.width = '0';
    text.textContent = '–';
    return;
  }
  const pct = counts.total ? (100 * counts.labelled) / counts.total : 0;
  fill.style.width = `${pct}%`;
  text.textContent = `${counts.labelled} / ${counts.total} labelled`;
  root.dataset.labelled = String(counts.labelled);
  root.dataset.total = String(counts.total);
  root.title = `${counts.labelled} labelled, ${counts.skipped} skipped, ${counts.unlabelled} to go`;
}
