/* Cairn web app: helpers shared by / and /dashboard. No framework, no network beyond this node. */
'use strict';

const Cairn = (() => {
  const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

  /** Formats figures for people; null, undefined and NaN become "n/a" (never a made-up 0). */
  const fmt = {
    na: v => v === null || v === undefined || (typeof v === 'number' && !isFinite(v)),
    bytes(v) {
      if (fmt.na(v)) return 'n/a';
      let i = 0; let n = Math.abs(v);
      while (n >= 1024 && i < UNITS.length - 1) { n /= 1024; i++; }
      return (v < 0 ? '-' : '') + (i === 0 ? n.toFixed(0) : n.toFixed(n < 10 ? 2 : 1)) + ' ' + UNITS[i];
    },
    int: v => fmt.na(v) ? 'n/a' : Math.round(v).toLocaleString('en-US'),
    num(v, digits = 2) {
      return fmt.na(v) ? 'n/a' : Number(v).toLocaleString('en-US', { maximumFractionDigits: digits });
    },
    pct: v => fmt.na(v) ? 'n/a' : Number(v).toFixed(v >= 99.95 || v === 0 ? 0 : 1) + ' %',
    ms(v) {
      if (fmt.na(v)) return 'n/a';
      if (v >= 1000) return (v / 1000).toFixed(2) + ' s';
      return (v >= 10 ? v.toFixed(0) : v.toFixed(v >= 1 ? 1 : 2)) + ' ms';
    },
    rate: v => fmt.na(v) ? 'n/a' : fmt.num(v, v < 10 ? 2 : 1) + '/s',
    bytesRate: v => fmt.na(v) ? 'n/a' : fmt.bytes(v) + '/s',
    duration(secs) {
      if (fmt.na(secs)) return 'n/a';
      secs = Math.round(secs);
      if (secs < 60) return secs + ' s';
      if (secs < 3600) return Math.floor(secs / 60) + ' min ' + (secs % 60) + ' s';
      const h = Math.floor(secs / 3600);
      return h < 48 ? h + ' h ' + Math.floor((secs % 3600) / 60) + ' min' : Math.floor(h / 24) + ' d';
    },
    date(iso) {
      if (!iso) return 'n/a';
      const d = new Date(iso);
      return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    },
    text: v => fmt.na(v) ? 'n/a' : String(v),
  };

  /** Builds an element: el('a', {href: '/x', class: 'y'}, 'text', child). Text is never parsed as HTML. */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  /** An API error with the server's message ({"error":{"code","message"}}) when there is one. */
  class ApiError extends Error {
    constructor(status, code, message) { super(message); this.status = status; this.code = code; }
  }

  async function errorOf(resp) {
    let code = 'HTTP_' + resp.status; let message = resp.status + ' ' + resp.statusText;
    try {
      const body = await resp.json();
      if (body && body.error) { code = body.error.code || code; message = body.error.message || message; }
    } catch (ignored) { /* not JSON */ }
    return new ApiError(resp.status, code, message);
  }

  async function getJson(url, opts) {
    let resp;
    try {
      resp = await fetch(url, Object.assign({ headers: { Accept: 'application/json' }, cache: 'no-store' }, opts));
    } catch (e) {
      throw new ApiError(0, 'NETWORK', 'This node does not answer (' + e.message + ')');
    }
    if (!resp.ok) throw await errorOf(loginOn401(resp));
    return resp.status === 204 ? null : resp.json();
  }

  // ---- who is logged in ---------------------------------------------------------------------------
  // With authentication on, the page runs on the HttpOnly session cookie; every state-changing request
  // must also carry the session's CSRF token, which only same-origin script can read from whoami.
  // In anonymous dev mode there is no token and nothing changes.
  let csrfToken = '';
  // Until whoami answers (and when it cannot: a 401 on the public dashboard), nobody is logged in.
  const nobody = { user: null, anonymous: false, csrfToken: '' };
  const whoami = fetch('/api/v1/whoami', { headers: { Accept: 'application/json' }, cache: 'no-store' })
    .then(r => (r.ok ? r.json() : nobody))
    .catch(() => nobody)
    .then(w => { csrfToken = w.csrfToken || ''; return w; });

  /** Headers a state-changing request needs on top of its own (the CSRF token when logged in). */
  const csrfHeaders = () => (csrfToken ? { 'X-CSRF-Token': csrfToken } : {});

  /** A 401 on a page means the session ended (or never was): go to the login page. Returns resp. */
  function loginOn401(resp) {
    if (resp.status === 401) location.assign('/login');
    return resp;
  }

  /** fetch for PUT/POST/DELETE: waits for whoami, adds the CSRF header, sends 401s to the login page. */
  async function send(url, opts = {}) {
    await whoami;
    const headers = Object.assign({}, opts.headers, csrfHeaders());
    return loginOn401(await fetch(url, Object.assign({}, opts, { headers })));
  }

  /** Fills #account in the top bar: the user and a logout button, or the anonymous dev-mode notice. */
  async function showAccount() {
    const box = document.getElementById('account');
    if (!box) return;
    const w = await whoami;
    if (w.user) {
      box.replaceChildren(
        el('span', { id: 'account-user', class: 'small' }, w.user + (w.admin ? ' (admin)' : '')),
        el('form', { action: '/logout', method: 'post', class: 'inline' },
          el('input', { type: 'hidden', name: 'csrf', value: csrfToken }),
          el('button', { type: 'submit', id: 'logout', class: 'small' }, 'Log out')));
    } else if (w.anonymous) {
      box.replaceChildren(
        el('span', { id: 'dev-mode', class: 'pill warn small', title: 'No authentication: anyone who reaches '
          + 'this node can read and change every bucket. Only allowed on a loopback address.' }, 'anonymous dev mode'),
        el('a', { href: '/login', class: 'small', id: 'login-link' }, 'Log in'));
    } else {
      box.replaceChildren(el('a', { href: '/login', class: 'small', id: 'login-link' }, 'Log in'));
    }
  }
  document.addEventListener('DOMContentLoaded', showAccount);

  /** Keys may hold '/', spaces and any UTF-8: encode each segment, keep the slashes. */
  const encodeKey = key => key.split('/').map(encodeURIComponent).join('/');
  const fileUrl = (bucket, key) => '/api/v1/files/' + encodeURIComponent(bucket) + '/' + encodeKey(key);
  const metaUrl = (bucket, key) => '/api/v1/meta/' + encodeURIComponent(bucket) + '/' + encodeKey(key);

  /** Looks up "a.b.c" in an object; undefined when any step is missing. */
  function path(obj, dotted) {
    return dotted.split('.').reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), obj);
  }

  /** Runs fn now and every ms, skipping a round while the previous one still runs or the tab is hidden. */
  function every(ms, fn) {
    let busy = false; let timer = null; let period = ms;
    const tick = async () => {
      if (busy || document.hidden) return;
      busy = true;
      try { await fn(); } finally { busy = false; }
    };
    const start = () => { clearInterval(timer); timer = setInterval(tick, period); };
    document.addEventListener('visibilitychange', () => { if (!document.hidden) tick(); });
    tick(); start();
    return {
      setPeriod(p) { period = p; start(); },
      stop() { clearInterval(timer); timer = null; },
      resume() { tick(); start(); },
      now: tick,
    };
  }

  return { fmt, el, getJson, send, csrfHeaders, loginOn401, whoami, ApiError, errorOf, encodeKey, fileUrl, metaUrl, path, every };
})();
