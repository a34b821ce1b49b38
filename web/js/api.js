/* The JSON API. Staff sign in once: the session cookie (HttpOnly, SameSite=Strict) carries the
 * session, and every state-changing request sends the CSRF token from the login answer. */
const CSRF_KEY = 'otinish.csrf';

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || `http_${status}`;
    this.field = e.field || null;
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const opts = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  if (method !== 'GET') {
    const csrf = sessionStorage.getItem(CSRF_KEY);
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  const r = await fetch(path, opts);
  let data = null;
  const type = r.headers.get('Content-Type') || '';
  if (type.includes('json')) data = await r.json().catch(() => null);
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);

/* GET that answers null when the endpoint does not exist (yet) or is not allowed. */
export async function tryGet(path) {
  try {
    return await get(path);
  } catch (e) {
    if (e.status === 404 || e.status === 405 || e.status === 403 || e.status === 501) return null;
    throw e;
  }
}

export function enc(number) {
  return encodeURIComponent(number);
}

/* ==== Session ==== */
let me = null;

export function user() {
  return me;
}

export async function login(loginName, password) {
  const r = await api('POST', '/api/v1/session', { login: loginName, password });
  sessionStorage.setItem(CSRF_KEY, r.csrf);
  me = r.user;
  return me;
}

export async function restore() {
  try {
    me = (await get('/api/v1/session')).user;
  } catch (e) {
    me = null;
  }
  return me;
}

export async function logout() {
  try {
    await api('DELETE', '/api/v1/session');
  } finally {
    sessionStorage.removeItem(CSRF_KEY);
    me = null;
  }
}
