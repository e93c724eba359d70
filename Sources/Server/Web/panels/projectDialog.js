// The Project dialog: create a project, add image files to the open one, download its exports, manage
// its members, delete it. `ctx` is { api(), me(), project(), created(project), uploaded(), deleted(project) };
// the app switches and refreshes.

import { toast } from './toast.js';

const $ = (id) => document.getElementById(id);

/** Class names from "a, b" or one per line; blanks and repeats dropped, order kept. */
export function parseClassNames(text) {
  const names = text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
  return [...new Set(names)];
}

export function bindProjectDialog(ctx) {
  const dialog = $('project-dialog');

  $('btn-project').addEventListener('click', () => {
    if (!ctx.api()) return toast('Sign in first.', 'warn');
    const project = ctx.project();
    for (const id of ['pd-upload-project', 'pd-export-project', 'pd-delete-project']) $(id).textContent = project ? `“${project.name}”` : '(no project yet)';
    $('pd-files').disabled = !project;
    $('pd-delete').disabled = !project;
    $('pd-delete-status').textContent = '';
    $('pd-delete-status').classList.remove('error');
    for (const b of $('pd-exports').querySelectorAll('button')) b.disabled = !project;
    updateHint();
    showMembers(ctx, project);
    dialog.showModal();
    (project ? $('pd-files') : $('np-name')).focus();
  });
  dialog.addEventListener('close', () => $('canvas').focus({ preventScroll: true }));
  bindDelete(ctx, dialog);
  bindMembers(ctx);

  function updateHint() {
    $('np-hint').textContent = $('np-task').value === 'semantic'
      ? 'Semantic: the first class is class 0, the background (e.g. “background, crack”).'
      : 'Keys 1–9 pick the classes in this order while labelling.';
  }
  $('np-task').addEventListener('change', updateHint);

  $('new-project-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = $('np-name').value.trim();
    const task = $('np-task').value;
    const classes = parseClassNames($('np-classes').value).map((n) => ({ name: n }));
    if (!name) return;
    if (classes.length === 0) return toast('Give at least one class name.', 'warn');
    $('np-create').disabled = true;
    try {
      const project = await ctx.api().createProject({ name, task, classes });
      $('np-name').value = '';
      $('np-classes').value = '';
      toast(`Project “${project.name}” created. Add images below.`, 'ok');
      await ctx.created(project);
      for (const id of ['pd-upload-project', 'pd-export-project', 'pd-delete-project']) $(id).textContent = `“${project.name}”`;
      $('pd-files').disabled = false;
      $('pd-delete').disabled = false;
      for (const b of $('pd-exports').querySelectorAll('button')) b.disabled = false;
      showMembers(ctx, project);
      $('pd-files').focus();
    } catch (err) {
      toast(`Could not create the project: ${err.message}`, 'error');
    } finally {
      $('np-create').disabled = false;
    }
  });

  $('pd-files').addEventListener('change', async () => {
    const input = $('pd-files');
    const files = [...input.files];
    const project = ctx.project();
    if (!project || files.length === 0) return;
    input.disabled = true;
    const line = $('pd-upload-progress');
    const errors = $('pd-upload-errors');
    errors.replaceChildren();
    let added = 0;
    let failed = 0;
    delete line.dataset.done;
    for (const [k, file] of files.entries()) {
      line.textContent = `Uploading ${k + 1} / ${files.length}: ${file.name}`;
      try {
        await ctx.api().uploadImage(project.id, file);
        added += 1;
      } catch (err) {
        failed += 1;
        const li = document.createElement('li');
        li.textContent = `${file.name}: ${err.message}`;
        errors.append(li);
      }
    }
    line.textContent = `Added ${added} of ${files.length} image${files.length === 1 ? '' : 's'}${failed ? `; ${failed} failed` : ''}.`;
    Object.assign(line.dataset, { done: 'true', added: String(added), failed: String(failed) });
    input.value = '';
    input.disabled = false;
    toast(line.textContent, failed ? 'warn' : 'ok');
    if (added) await ctx.uploaded();
  });

  $('pd-exports').addEventListener('click', async (e) => {
    const button = e.target.closest('button[data-export]');
    const project = ctx.project();
    if (!button || !project) return;
    const kind = button.dataset.export;
    const status = $('pd-export-status');
    button.disabled = true;
    status.textContent = `Preparing ${button.textContent}…`;
    status.classList.remove('error');
    try {
      const withImages = kind !== 'model' && $('pd-export-images').checked;
      const { blob, name } = await ctx.api().exportFile(project.id, kind, withImages);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      status.textContent = `Downloaded ${name} (${formatBytes(blob.size)}).`;
      Object.assign(status.dataset, { kind, name, bytes: String(blob.size) });
    } catch (err) {
      status.textContent = `${button.textContent} export failed: ${err.message}`;
      status.classList.add('error');
      toast(`${button.textContent} export failed: ${err.message}`, 'error');
    } finally {
      button.disabled = false;
    }
  });
}

/**
 * Owners (and server admins) see the sections that manage the project: images, exports, members and
 * deletion (the server refuses them to other roles anyway). Members are listed, added and removed here.
 */
function showMembers(ctx, project) {
  const mayManage = !project || project.role === 'owner' || !!ctx.me()?.admin;
  for (const id of ['pd-files', 'pd-exports', 'pd-delete']) $(id).closest('section').hidden = !mayManage;
  $('pd-members-section').hidden = !project || !mayManage;
  if (!project || !mayManage) return;
  $('pd-members-project').textContent = `“${project.name}”`;
  $('pd-members-status').textContent = '';
  loadMembers(ctx, project);
}

async function loadMembers(ctx, project) {
  const list = $('pd-members');
  try {
    const members = await ctx.api().members(project.id);
    list.replaceChildren(...members.map((m) => memberItem(ctx, project, m)));
    list.dataset.count = String(members.length);
  } catch (err) {
    $('pd-members-status').textContent = `Could not list the members: ${err.message}`;
  }
}

function memberItem(ctx, project, member) {
  const li = document.createElement('li');
  li.dataset.name = member.name;
  li.dataset.role = member.role;
  const name = document.createElement('span');
  name.textContent = member.name;
  const role = document.createElement('span');
  role.className = 'role';
  role.textContent = member.role;
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.textContent = 'Remove';
  remove.title = `Remove ${member.name} from the project`;
  remove.addEventListener('click', async () => {
    try {
      await ctx.api().removeMember(project.id, member.accountId);
      await loadMembers(ctx, project);
    } catch (err) {
      $('pd-members-status').textContent = `Not removed: ${err.message}`;
    }
  });
  li.append(name, role, remove);
  return li;
}

function bindMembers(ctx) {
  $('pd-member-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const project = ctx.project();
    const name = $('pd-member-name').value.trim();
    if (!project || !name) return;
    const status = $('pd-members-status');
    try {
      const member = await ctx.api().setMember(project.id, name, $('pd-member-role').value);
      $('pd-member-name').value = '';
      status.textContent = `${member.name} is ${member.role}.`;
      await loadMembers(ctx, project);
    } catch (err) {
      status.textContent = `Not added: ${err.message}`;
    }
  });
}

function bindDelete(ctx, dialog) {
  $('pd-delete').addEventListener('click', async () => {
    const project = ctx.project();
    if (!project) return;
    const n = project.counts?.total ?? 0;
    if (!window.confirm(`Delete “${project.name}” with its ${n} image${n === 1 ? '' : 's'}, labels and model? This cannot be undone.`)) return;
    const status = $('pd-delete-status');
    try {
      await ctx.api().deleteProject(project.id);
      toast(`Project “${project.name}” deleted.`, 'ok');
      dialog.close();
      await ctx.deleted(project);
    } catch (err) {
      status.textContent = `Not deleted: ${err.message}`;
      status.classList.add('error');
    }
  });
}

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
