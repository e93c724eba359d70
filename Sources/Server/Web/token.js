// The API token: taken once from the login link (`/#token=...`, or `/?token=...`), kept in
// localStorage, and removed from the address bar so it does not end up in bookmarks, screenshots or
// the history. The fragment form never reaches the server's logs.

const KEY = 'livetrain.token';

export function takeToken() {
  const url = new URL(window.location.href);
  const hash = new URLSearchParams(url.hash.slice(1));
  const fromLink = hash.get('token') || url.searchParams.get('token');
  if (fromLink) {
    storeToken(fromLink);
    url.searchParams.delete('token');
    hash.delete('token');
    const rest = hash.toString();
    window.history.replaceState(null, '', url.pathname + url.search + (rest ? `#${rest}` : ''));
  }
  return readToken();
}

export function readToken() {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeToken(token) {
  try {
    window.localStorage.setItem(KEY, token.trim());
  } catch {
    // Private mode without storage: the token lives for this page only.
  }
}

export function forgetToken() {
  try {
    window.localStorage.removeItem(KEY);
  } catch {
    // Nothing stored.
  }
}
