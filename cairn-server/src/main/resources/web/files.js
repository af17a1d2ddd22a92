/*
 * Cairn: the file manager on /. Lists through GET /api/v1/files/{bucket} (substring search and prefix
 * are the server's), sorts and pages in the browser, uploads with a streaming PUT per file (the browser
 * sends the File from disk, so a 1 GB upload needs no page memory) and shows progress per file.
 */
'use strict';

(() => {
  const { el, fmt, getJson, send: sendMutation, csrfHeaders, errorOf, fileUrl, metaUrl } = Cairn;
  const LIST_PAGE = 1000;       // the REST API's largest page
  const LIST_CAP = 5000;        // sorting needs every match in the page; beyond this, narrow the search
  const PARALLEL_UPLOADS = 2;
  const TEXT_PREVIEW_BYTES = 256 * 1024;
  const BUCKET_RE = /^[a-z0-9][a-z0-9._-]{0,62}$/;
  const TEXT_EXT = /\.(txt|md|csv|tsv|log|json|xml|ya?ml|toml|ini|conf|cfg|js|mjs|ts|java|py|rb|go|rs|c|h|cpp|sh|sql|html?|css|properties)$/i;
  const THUMB_TYPES = /^image\/(png|jpeg|gif|bmp|webp|svg\+xml)$/;

  const $ = id => document.getElementById(id);
  const state = { bucket: '', entries: [], truncated: false, page: 0, loading: null, status: '' };
  const queue = [];
  let running = 0;

  // ---- bucket -------------------------------------------------------------------------------------
  function initialBucket() {
    const fromUrl = new URLSearchParams(location.search).get('bucket');
    return (fromUrl || $('bucket').value || localStorage.getItem('cairn.bucket') || '').trim();
  }

  async function loadBuckets() {
    try {
      const { buckets } = await getJson('/api/v1/buckets');
      $('bucket-list').replaceChildren(...buckets.map(b => el('option', { value: b })));
      if (!state.bucket && buckets.length) openBucket(buckets[0]);
    } catch (e) { /* the list is a convenience; typing a name still works */ }
  }

  function openBucket(name) {
    name = name.trim();
    if (!BUCKET_RE.test(name)) {
      $('bucket').setCustomValidity('Use 1-63 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit.');
      $('bucket').reportValidity();
      return;
    }
    $('bucket').setCustomValidity('');
    $('bucket').value = name;
    state.bucket = name;
    state.page = 0;
    localStorage.setItem('cairn.bucket', name);
    document.cookie = 'cairn_user=' + encodeURIComponent(name) + '; path=/; max-age=2592000; samesite=lax';
    const url = new URL(location.href);
    url.searchParams.set('bucket', name);
    url.searchParams.delete('username');
    history.replaceState(null, '', url);
    loadList();
  }

  // ---- listing ------------------------------------------------------------------------------------
  async function loadList() {
    if (!state.bucket) {
      setStatus('Open a bucket to see its files.');
      renderRows();
      return;
    }
    if (state.loading) state.loading.abort();
    const ctl = new AbortController();
    state.loading = ctl;
    const q = $('q').value; const prefix = $('prefix').value;
    setStatus('Loading…');
    const all = []; let cursor = null; let truncated = false;
    try {
      do {
        const p = new URLSearchParams({ limit: LIST_PAGE });
        if (q) p.set('q', q);
        if (prefix) p.set('prefix', prefix);
        if (cursor) p.set('cursor', cursor);
        const page = await getJson(`/api/v1/files/${encodeURIComponent(state.bucket)}?${p}`, { signal: ctl.signal });
        all.push(...page.files);
        cursor = page.nextCursor;
        if (cursor && all.length >= LIST_CAP) { truncated = true; break; }
      } while (cursor);
    } catch (e) {
      if (e.name === 'AbortError' || ctl.signal.aborted) return;
      if (e.code !== 'NO_SUCH_BUCKET') {
        state.entries = []; renderRows();
        setStatus('Could not list files: ' + e.message, true);
        return;
      }
    } finally {
      if (state.loading === ctl) state.loading = null;
    }
    state.entries = all;
    state.truncated = truncated;
    const maxPage = Math.max(0, Math.ceil(all.length / pageSize()) - 1);
    state.page = Math.min(state.page, maxPage);
    renderRows();
  }

  const pageSize = () => Number($('page-size').value);

  function sorted() {
    const [field, dir] = $('sort').value.split(':');
    const sign = dir === 'desc' ? -1 : 1;
    const key = {
      name: f => f.key, size: f => f.size, created: f => f.created, type: f => f.contentType || '',
    }[field];
    return [...state.entries].sort((a, b) => {
      const x = key(a); const y = key(b);
      const c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
      return sign * c || a.key.localeCompare(b.key);
    });
  }

  function setStatus(text, error) {
    state.status = text;
    const s = $('list-status');
    s.textContent = text;
    s.style.color = error ? 'var(--bad)' : '';
  }

  function renderRows() {
    const rows = $('file-rows');
    const size = pageSize();
    const list = sorted();
    const pages = Math.max(1, Math.ceil(list.length / size));
    const slice = list.slice(state.page * size, (state.page + 1) * size);
    if (!slice.length) {
      const msg = !state.bucket ? 'No bucket open.' : ($('q').value || $('prefix').value)
        ? 'No files match.' : 'This bucket is empty: drop files above to upload.';
      rows.replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'empty' }, msg)));
    } else {
      rows.replaceChildren(...slice.map(row));
    }
    const total = list.length;
    if (state.bucket) {
      const bytes = list.reduce((a, f) => a + f.size, 0);
      setStatus(`${fmt.int(total)} file${total === 1 ? '' : 's'} (${fmt.bytes(bytes)}) in ${state.bucket}` +
        (state.truncated ? ` — showing the first ${fmt.int(LIST_CAP)} matches; narrow the search to see the rest` : ''));
    }
    $('page-info').textContent = `Page ${state.page + 1} of ${pages}`;
    $('prev').disabled = state.page === 0;
    $('next').disabled = state.page >= pages - 1;
  }

  function thumb(f) {
    if (THUMB_TYPES.test(f.contentType || '')) {
      const src = '/api/web/thumbnail/' + encodeURIComponent(state.bucket) + '/' + Cairn.encodeKey(f.key)
        + '?v=' + encodeURIComponent(f.etag.replaceAll('"', ''));
      const img = el('img', { class: 'thumb', src, alt: '', loading: 'lazy', width: 48, height: 48 });
      img.addEventListener('error', () => img.replaceWith(icon(f)));
      return img;
    }
    return icon(f);
  }

  function icon(f) {
    const ext = (f.key.includes('.') ? f.key.split('.').pop() : (f.contentType || '').split('/')[0]).slice(0, 4);
    return el('span', { class: 'thumb icon', 'aria-hidden': 'true' }, ext || 'file');
  }

  function previewKind(f) {
    const t = (f.contentType || '').toLowerCase();
    if (t.startsWith('image/')) return 'image';
    if (t === 'application/pdf') return 'pdf';
    if (t.startsWith('video/')) return 'video';
    if (t.startsWith('audio/')) return 'audio';
    if (t.startsWith('text/') || /json|xml|javascript|yaml|csv/.test(t) || TEXT_EXT.test(f.key)) return 'text';
    return null;
  }

  function row(f) {
    const kind = previewKind(f);
    const name = f.key;
    return el('tr', { 'data-key': name },
      el('td', { class: 'tcell' }, thumb(f)),
      el('td', {}, el('button', { type: 'button', class: 'link fname', onclick: () => details(f),
        'aria-label': `Details of ${name}` }, name)),
      el('td', { class: 'num', 'data-label': 'Size' }, fmt.bytes(f.size)),
      el('td', { 'data-label': 'Type', class: 'small' }, f.contentType || ''),
      el('td', { 'data-label': 'Uploaded', class: 'small' }, el('time', { datetime: f.created }, fmt.date(f.created))),
      el('td', { class: 'actions' },
        kind ? el('button', { type: 'button', class: 'preview-btn', onclick: () => preview(f, kind),
          'aria-label': `Preview ${name}` }, 'Preview') : null,
        el('a', { class: 'button download-link', href: fileUrl(state.bucket, name), download: name.split('/').pop(),
          'aria-label': `Download ${name}` }, 'Download'),
        el('button', { type: 'button', class: 'danger delete-btn', onclick: () => confirmDelete(f),
          'aria-label': `Delete ${name}` }, 'Delete')));
  }

  // ---- details, preview, delete -------------------------------------------------------------------
  function openDialog(id) {
    const d = $(id);
    if (!d.open) d.showModal();
    return d;
  }

  async function details(f) {
    const body = $('details-body');
    $('details-title').textContent = f.key;
    body.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
    openDialog('details');
    try {
      const m = await getJson(metaUrl(state.bucket, f.key));
      const prop = (k, v, cls) => [el('dt', {}, k), el('dd', { class: cls || '' }, v)];
      body.replaceChildren(
        el('dl', { class: 'props' },
          prop('Bucket', m.bucket), prop('Size', `${fmt.bytes(m.size)} (${fmt.int(m.size)} bytes)`),
          prop('Type', m.contentType), prop('Uploaded', fmt.date(m.created)),
          prop('SHA-256', m.sha256, 'mono'), prop('MD5 (ETag)', m.md5, 'mono'),
          prop('Chunks', `${m.chunks.length} × up to ${fmt.bytes(m.chunkSize)}`),
          Object.keys(m.userMeta || {}).length ? prop('Metadata', JSON.stringify(m.userMeta)) : []),
        el('h3', {}, 'Chunks and replicas'),
        m.chunks.length ? el('div', { class: 'table-wrap' }, el('table', { id: 'chunk-table' },
          el('thead', {}, el('tr', {}, el('th', { scope: 'col', class: 'num' }, '#'), el('th', { scope: 'col', class: 'num' }, 'Size'),
            el('th', { scope: 'col' }, 'Replicas (node)'), el('th', { scope: 'col' }, 'Chunk id'))),
          el('tbody', {}, m.chunks.map(c => el('tr', {},
            el('td', { class: 'num' }, c.index), el('td', { class: 'num' }, fmt.bytes(c.size)),
            el('td', {}, el('span', { class: 'replicas' }, c.replicas.map(replica))),
            el('td', { class: 'mono small' }, c.chunkId))))))
          : el('p', { class: 'muted' }, 'An empty file has no chunks.'));
    } catch (e) {
      body.replaceChildren(el('p', { class: 'flash error', role: 'alert' }, 'Could not load details: ' + e.message));
    }
  }

  function replica(id) {
    const n = CairnCluster.node(id);
    const st = n ? n.state : 'unknown';
    return el('span', { class: 'state ' + st, title: `node ${id}: ${st}`, 'data-replica': id }, `node ${id} · ${st}`);
  }

  async function preview(f, kind) {
    const url = fileUrl(state.bucket, f.key);
    const inline = url + '?inline=1';
    const body = $('preview-body');
    $('preview-title').textContent = f.key;
    $('preview-download').href = url;
    $('preview-download').setAttribute('download', f.key.split('/').pop());
    body.replaceChildren();
    openDialog('preview');
    if (kind === 'image') {
      body.append(el('img', { src: inline, alt: `Image ${f.key}`, id: 'preview-image' }));
    } else if (kind === 'pdf') {
      body.append(el('iframe', { src: inline, title: `PDF ${f.key}` }));
    } else if (kind === 'video' || kind === 'audio') {
      body.append(el(kind, { src: inline, controls: true }));
    } else if (kind === 'text') {
      body.append(el('p', { class: 'muted' }, 'Loading…'));
      try {
        const r = await fetch(url, { headers: { Range: `bytes=0-${TEXT_PREVIEW_BYTES - 1}` } });
        if (!r.ok) throw await errorOf(Cairn.loginOn401(r));
        const text = new TextDecoder('utf-8').decode(await r.arrayBuffer());
        body.replaceChildren(el('pre', { id: 'preview-text' }, text),
          f.size > TEXT_PREVIEW_BYTES ? el('p', { class: 'muted small' },
            `Showing the first ${fmt.bytes(TEXT_PREVIEW_BYTES)} of ${fmt.bytes(f.size)}.`) : null);
      } catch (e) {
        body.replaceChildren(el('p', { class: 'flash error', role: 'alert' }, 'Could not load the preview: ' + e.message));
      }
    }
  }

  function confirmDelete(f) {
    const d = $('confirm');
    $('confirm-text').textContent = `Delete “${f.key}” (${fmt.bytes(f.size)}) from ${state.bucket}? This cannot be undone.`;
    d.returnValue = '';
    d.onclose = async () => {
      if (d.returnValue !== 'delete') return;
      try {
        const r = await sendMutation(fileUrl(state.bucket, f.key), { method: 'DELETE' });
        if (!r.ok && r.status !== 404) throw await errorOf(r);
        state.entries = state.entries.filter(e => e.key !== f.key);
        renderRows();
        setStatus(`Deleted ${f.key}. ` + state.status);
      } catch (e) {
        setStatus('Could not delete ' + f.key + ': ' + e.message, true);
      }
    };
    d.showModal();
  }

  // ---- uploads ------------------------------------------------------------------------------------
  function enqueue(files) {
    if (!state.bucket) {
      const typed = $('bucket').value.trim();
      if (!typed) { $('bucket').focus(); $('bucket').reportValidity(); return; }
      openBucket(typed);
      if (!state.bucket) return;
    }
    const prefix = $('upload-prefix').value.trim().replace(/^\/+/, '');
    const folder = prefix && !prefix.endsWith('/') ? prefix + '/' : prefix;
    for (const file of files) {
      const item = { file, bucket: state.bucket, key: folder + file.name, replace: false, xhr: null };
      item.li = uploadRow(item);
      $('uploads').prepend(item.li);
      queue.push(item);
    }
    pump();
  }

  function uploadRow(item) {
    const bar = el('progress', { max: 100, value: 0, 'aria-label': `Upload progress of ${item.key}` });
    const status = el('span', { class: 'ustatus' }, 'Waiting…');
    const cancel = el('button', { type: 'button', class: 'small', onclick: () => cancelUpload(item) }, 'Cancel');
    item.bar = bar; item.statusEl = status; item.cancel = cancel;
    return el('li', { class: 'upload', 'data-key': item.key },
      el('span', { class: 'uname' }, `${item.key} `, el('span', { class: 'muted small' }, fmt.bytes(item.file.size))),
      cancel, bar, status);
  }

  function pump() {
    while (running < PARALLEL_UPLOADS && queue.length) {
      running++;
      send(queue.shift()).finally(() => { running--; pump(); });
    }
  }

  function cancelUpload(item) {
    const i = queue.indexOf(item);
    if (i >= 0) queue.splice(i, 1);
    if (item.xhr) item.xhr.abort();
    finish(item, 'failed', 'Cancelled');
  }

  function finish(item, cls, text) {
    item.li.classList.remove('done', 'failed');
    item.li.classList.add(cls);
    item.li.dataset.state = cls;
    item.statusEl.textContent = text;
    item.cancel.hidden = true;
  }

  /** One streaming PUT; resolves when it ended either way. */
  async function send(item) {
    await Cairn.whoami; // the CSRF token must be known before the first PUT
    return new Promise(resolve => {
      const xhr = new XMLHttpRequest();
      item.xhr = xhr;
      const started = performance.now();
      xhr.open('PUT', fileUrl(item.bucket, item.key));
      xhr.setRequestHeader('Content-Type', item.file.type || 'application/octet-stream');
      if (!item.replace) xhr.setRequestHeader('If-None-Match', '*');
      for (const [k, v] of Object.entries(csrfHeaders())) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = e => {
        if (!e.lengthComputable) return;
        const pct = e.total ? (100 * e.loaded) / e.total : 100;
        const secs = (performance.now() - started) / 1000;
        const speed = secs > 0 ? e.loaded / secs : 0;
        const left = speed > 0 ? (e.total - e.loaded) / speed : null;
        item.bar.value = Math.min(99, pct);
        item.statusEl.textContent = e.loaded < e.total
          ? `${pct.toFixed(0)} % · ${fmt.bytesRate(speed)} · ${left === null ? '' : fmt.duration(left) + ' left'}`
          : 'Sent; storing on three nodes…';
      };
      xhr.onload = () => {
        item.xhr = null;
        if (xhr.status === 201) {
          const r = JSON.parse(xhr.responseText);
          item.bar.value = 100;
          const secs = (performance.now() - started) / 1000;
          finish(item, 'done', `Stored · ${r.chunks} chunk${r.chunks === 1 ? '' : 's'} · ${fmt.bytes(r.size)} in ${secs.toFixed(1)} s`);
          item.li.dataset.seconds = secs.toFixed(3);
          listSoon();
        } else if (xhr.status === 409 || xhr.status === 412) {
          finish(item, 'failed', 'A file with this name exists. ');
          item.statusEl.append(el('button', { type: 'button', class: 'small', onclick: () => {
            item.replace = true; item.cancel.hidden = false; item.li.classList.remove('failed');
            item.statusEl.textContent = 'Waiting…'; queue.push(item); pump();
          } }, 'Replace it'));
        } else if (xhr.status === 401) {
          finish(item, 'failed', 'Failed: not logged in');
          location.assign('/login');
        } else {
          let msg = `HTTP ${xhr.status}`;
          try { msg = JSON.parse(xhr.responseText).error.message; } catch (ignored) { /* not JSON */ }
          finish(item, 'failed', 'Failed: ' + msg);
        }
        resolve();
      };
      xhr.onerror = () => { item.xhr = null; finish(item, 'failed', 'Failed: the connection broke'); resolve(); };
      xhr.onabort = () => { item.xhr = null; resolve(); };
      item.statusEl.textContent = 'Starting…';
      xhr.send(item.file);
    });
  }

  let listTimer = null;
  function listSoon() {
    clearTimeout(listTimer);
    listTimer = setTimeout(() => { loadList(); loadBuckets(); }, 400);
  }

  // ---- wiring -------------------------------------------------------------------------------------
  function wire() {
    $('bucket-form').addEventListener('submit', e => { e.preventDefault(); openBucket($('bucket').value); });
    $('bucket').addEventListener('input', () => $('bucket').setCustomValidity(''));
    $('choose').addEventListener('click', () => $('file-input').click());
    $('file-input').addEventListener('change', e => { enqueue([...e.target.files]); e.target.value = ''; });
    const dz = $('dropzone');
    ['dragenter', 'dragover'].forEach(t => dz.addEventListener(t, e => { e.preventDefault(); dz.classList.add('over'); }));
    ['dragleave', 'drop'].forEach(t => dz.addEventListener(t, () => dz.classList.remove('over')));
    dz.addEventListener('drop', e => { e.preventDefault(); enqueue([...e.dataTransfer.files]); });
    // A file dropped beside the zone must not make the browser leave the page.
    window.addEventListener('dragover', e => e.preventDefault());
    window.addEventListener('drop', e => e.preventDefault());
    let searchTimer = null;
    const relist = () => { clearTimeout(searchTimer); searchTimer = setTimeout(() => { state.page = 0; loadList(); }, 300); };
    $('q').addEventListener('input', relist);
    $('prefix').addEventListener('input', relist);
    $('sort').addEventListener('change', () => { state.page = 0; renderRows(); });
    $('page-size').addEventListener('change', () => { state.page = 0; renderRows(); });
    $('refresh').addEventListener('click', loadList);
    $('prev').addEventListener('click', () => { state.page--; renderRows(); });
    $('next').addEventListener('click', () => { state.page++; renderRows(); });
    document.querySelectorAll('dialog [data-close]').forEach(b => b.addEventListener('click', () => b.closest('dialog').close()));
    $('preview').addEventListener('close', () => $('preview-body').replaceChildren()); // stop media, free memory
    CairnCluster.onChange(() => document.querySelectorAll('[data-replica]').forEach(s => s.replaceWith(replica(Number(s.dataset.replica)))));
    window.addEventListener('beforeunload', e => { if (running || queue.length) e.preventDefault(); });
  }

  document.addEventListener('DOMContentLoaded', () => {
    wire();
    const b = initialBucket();
    if (b) openBucket(b); else renderRows();
    loadBuckets();
  });
})();
