// The Accounts dialog (server admins): every account with its state, disabling and enabling them, and
// creating new ones. The server refuses all of it to non-admins anyway; the button only shows for admins.
// `ctx` is { api(), me() }.

import { toast } from './toast.js';

const $ = (id) => document.getElementById(id);

export function bindAccountsDialog(ctx) {
  const dialog = $('accounts-dialog');
  $('btn-accounts').addEventListener('click', async () => {
    $('ad-status').textContent = '';
    dialog.showModal();
    await load(ctx);
    $('ad-name').focus();
  });
  dialog.addEventListener('close', () => $('canvas').focus({ preventScroll: true }));

  $('ad-new').addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = $('ad-name').value.trim();
    const password = $('ad-password').value;
    if (!name || !password) return;
    $('ad-create').disabled = true;
    try {
      const account = await ctx.api().createAccount(name, password, $('ad-admin').checked);
      for (const id of ['ad-name', 'ad-password']) $(id).value = '';
      $('ad-admin').checked = false;
      $('ad-status').textContent = `${account.name} can sign in now; add them to projects in the Project dialog.`;
      await load(ctx);
    } catch (err) {
      $('ad-status').textContent = `Not created: ${err.message}`;
    } finally {
      $('ad-create').disabled = false;
    }
  });
}

async function load(ctx) {
  const list = $('ad-list');
  try {
    const accounts = await ctx.api().accounts();
    list.replaceChildren(...accounts.map((a) => item(ctx, a)));
    list.dataset.count = String(accounts.length);
  } catch (err) {
    $('ad-status').textContent = `Could not list the accounts: ${err.message}`;
  }
}

function item(ctx, account) {
  const li = document.createElement('li');
  li.dataset.name = account.name;
  li.dataset.disabled = String(account.disabled);
  const name = document.createElement('span');
  name.textContent = account.name;
  const role = document.createElement('span');
  role.className = 'role';
  role.textContent = [account.admin ? 'admin' : '', account.disabled ? 'disabled' : ''].filter(Boolean).join(', ');
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.textContent = account.disabled ? 'Enable' : 'Disable';
  toggle.title = account.disabled ? `Let ${account.name} sign in again` : `End ${account.name}'s sessions and refuse their sign-in`;
  // Admins cannot disable themselves (the server answers 409), so one enabled admin always remains.
  toggle.disabled = account.id === ctx.me()?.id;
  toggle.addEventListener('click', async () => {
    try {
      const changed = await ctx.api().setDisabled(account.id, !account.disabled);
      toast(`${changed.name} is ${changed.disabled ? 'disabled' : 'enabled'}.`, 'ok');
      await load(ctx);
    } catch (err) {
      $('ad-status').textContent = `Not changed: ${err.message}`;
    }
  });
  li.append(name, role, toggle);
  return li;
}
