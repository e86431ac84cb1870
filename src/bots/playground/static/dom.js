// Small helpers every part of the page uses. Text is always set with textContent, never as HTML.

export const $ = (id) => document.getElementById(id);

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** 75_000 ms -> "1:15". */
export function clock(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
}

/** 1234 -> "1,234" (the server words numbers the same way). */
export function count(n) {
  return n.toLocaleString('en-US');
}

/**
 * Calls the playground's API. Answers the JSON body; a refusal throws an Error whose message is
 * the server's words (and whose `code` is its error code).
 */
export async function api(method, path, body, headers) {
  const res = await fetch(path, { method, body, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } });
  let data = null;
  try {
    data = await res.json();
  } catch (_) {
    data = null;
  }
  if (!res.ok) {
    const known = data && data.error && typeof data.error.message === 'string';
    const err = new Error(known ? data.error.message : 'Something went wrong (' + res.status + '). Please try again.');
    err.code = known ? data.error.code : 'HTTP_' + res.status;
    throw err;
  }
  return data;
}
