/*
 * Cairn: /dashboard. Polls /api/system-metrics (every 3 s unless chosen otherwise, or ?refresh=N),
 * writes each figure into the element whose data-key names its path in the JSON, and keeps 15 minutes
 * of history in the page (and in sessionStorage, so a reload keeps the curves) for the charts.
 */
'use strict';

(() => {
  const { el, fmt, getJson, path } = Cairn;
  const HISTORY_MS = 15 * 60 * 1000;
  const STORE = 'cairn.dashboard.history';
  const $ = id => document.getElementById(id);
  const charts = {};
  let history = loadHistory();
  let poller = null;
  let paused = false;

  function loadHistory() {
    try {
      const h = JSON.parse(sessionStorage.getItem(STORE) || '[]');
      return h.filter(p => Date.now() - p.t < HISTORY_MS);
    } catch (e) { return []; }
  }

  function intervalSecs() {
    const q = Number(new URLSearchParams(location.search).get('refresh'));
    const saved = Number(localStorage.getItem('cairn.dashboard.refresh'));
    const v = q > 0 ? q : saved > 0 ? saved : 3;
    return Math.min(300, Math.max(0.5, v));
  }

  // ---- figures ------------------------------------------------------------------------------------
  function renderKeys(m) {
    document.querySelectorAll('[data-key]').forEach(e => {
      const v = path(m, e.dataset.key);
      const f = fmt[e.dataset.format || 'text'] || fmt.text;
      e.textContent = f(v);
      e.dataset.value = v === null || v === undefined ? 'null' : String(v);
      e.classList.toggle('na', fmt.na(v));
    });
    const h = m.health;
    const eta = h.heal_bytes_remaining > 0 && h.heal_bytes_per_second > 0
      ? fmt.duration(h.heal_bytes_remaining / h.heal_bytes_per_second) : h.heal_bytes_remaining === 0 ? 'done' : 'n/a';
    $('heal-eta').textContent = eta;
  }

  function renderStatus(m) {
    const s = m.scrape;
    $('updated').textContent = `Updated ${new Date(m.generated_at).toLocaleTimeString()} · ` +
      `${s.nodes_answered} of ${s.nodes_total} nodes answered in ${s.duration_ms} ms`;
    const err = $('scrape-errors');
    err.hidden = s.errors.length === 0;
    err.textContent = s.errors.map(e => `Node ${e.node_id} did not answer (${e.error}); totals cover the others.`).join(' ');
  }

  function renderNodes(m) {
    $('node-rows').replaceChildren(...m.nodes.map(n => el('tr', { 'data-node': n.id, 'data-state': n.state, 'data-reachable': String(n.reachable) },
      el('th', { scope: 'row' }, `Node ${n.id}`, n.leader ? el('span', { class: 'leader-badge' }, 'LEADER') : null,
        el('div', { class: 'small muted' }, n.address.replace(/^https?:\/\//, ''))),
      el('td', {}, el('span', { class: 'state ' + n.state }, n.state)),
      el('td', {}, n.reachable ? el('span', { class: 'state ok' }, 'answering')
        : el('span', { class: 'state bad', title: n.error || '' }, 'unreachable')),
      el('td', { class: 'num' }, fmt.int(n.requests)),
      el('td', { class: 'num' }, fmt.pct(n.cache_hit_rate)),
      el('td', { class: 'num' }, fmt.bytes(n.disk_used_bytes)),
      el('td', { class: 'num' }, fmt.bytes(n.disk_free_bytes)),
      el('td', { class: 'num' }, fmt.bytes(n.heap_used_bytes)),
      el('td', { class: 'num' }, fmt.duration(n.uptime_seconds)))));
  }

  // ---- charts -------------------------------------------------------------------------------------
  function css(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }

  function lineChart(id, series, yTitle) {
    const canvas = $(id);
    if (!canvas || typeof Chart === 'undefined') return null;
    return new Chart(canvas, {
      type: 'line',
      data: { labels: [], datasets: series.map(([label, color]) => ({
        label, data: [], borderColor: css(color), backgroundColor: css(color), pointRadius: 0, borderWidth: 2,
        spanGaps: true, tension: 0.2 })) },
      options: baseOptions(yTitle, { x: { ticks: { maxTicksLimit: 6, color: css('--muted') }, grid: { display: false } } }),
    });
  }

  function barChart(id, label, yTitle) {
    const canvas = $(id);
    if (!canvas || typeof Chart === 'undefined') return null;
    return new Chart(canvas, {
      type: 'bar',
      data: { labels: [], datasets: [{ label, data: [], backgroundColor: css('--primary') }] },
      options: baseOptions(yTitle, { x: { ticks: { color: css('--muted') }, grid: { display: false } } }),
    });
  }

  function baseOptions(yTitle, scales) {
    return {
      animation: false, responsive: true, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
      plugins: { legend: { labels: { color: css('--text'), boxWidth: 12 } } },
      scales: Object.assign({ y: { beginAtZero: true, title: { display: true, text: yTitle, color: css('--muted') },
        ticks: { color: css('--muted') }, grid: { color: css('--border') } } }, scales),
    };
  }

  function initCharts() {
    charts.rate = lineChart('chart-rate', [['requests/s', '--primary'], ['errors/s', '--bad']], 'per second');
    charts.latency = lineChart('chart-latency', [['p95 ms', '--warn'], ['average ms', '--primary']], 'milliseconds');
    charts.hit = lineChart('chart-hit', [['cache hit rate %', '--ok']], 'percent');
    charts.selection = barChart('chart-selection', 'times selected', 'selections');
    charts.shards = barChart('chart-shards', 'shards', 'shards');
  }

  function setLine(chart, fields) {
    if (!chart) return;
    chart.data.labels = history.map(p => new Date(p.t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }));
    chart.data.datasets.forEach((d, i) => { d.data = history.map(p => p[fields[i]]); });
    chart.update('none');
  }

  function setBars(chart, labels, values) {
    if (!chart) return;
    chart.data.labels = labels;
    chart.data.datasets[0].data = values;
    chart.update('none');
  }

  function renderCharts(m) {
    setLine(charts.rate, ['rps', 'eps']);
    setLine(charts.latency, ['p95', 'avg']);
    setLine(charts.hit, ['hit']);
    const sel = m.load_balancing.selections;
    setBars(charts.selection, sel.map(s => (s.node_id ? `node ${s.node_id}` : s.address)), sel.map(s => s.count));
    $('selection-text').textContent = sel.map(s => `${s.node_id ? 'node ' + s.node_id : s.address}: ${fmt.int(s.count)}`).join(' · ');
    const hist = m.sharding.histogram;
    // Bounds such as 8 MiB + 28 B (a full chunk plus its seal) must not print as a second "8 MiB".
    const bound = v => (v % 1024 === 0 ? fmt.bytes(v) : fmt.int(v) + ' B');
    setBars(charts.shards, hist.map((b, i) => (b.le_bytes === null
      ? '> ' + bound(hist[i - 1]?.le_bytes ?? 0) : '≤ ' + bound(b.le_bytes))), hist.map(b => b.count));
  }

  function remember(m) {
    history.push({
      t: Date.parse(m.generated_at),
      rps: m.requests.per_second, eps: m.requests.errors_per_second,
      p95: m.requests.recent_p95_ms, avg: m.requests.recent_avg_ms, hit: m.cache.recent_hit_rate,
    });
    const cutoff = Date.now() - HISTORY_MS;
    history = history.filter(p => p.t >= cutoff);
    try { sessionStorage.setItem(STORE, JSON.stringify(history)); } catch (e) { /* storage full: keep in memory */ }
  }

  async function poll() {
    let m;
    try {
      m = await getJson('/api/system-metrics');
    } catch (e) {
      $('updated').textContent = `Could not read the metrics at ${new Date().toLocaleTimeString()}: ${e.message}`;
      return;
    }
    renderKeys(m);
    renderStatus(m);
    renderNodes(m);
    remember(m);
    renderCharts(m);
    document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
  }

  document.addEventListener('DOMContentLoaded', () => {
    initCharts();
    const secs = intervalSecs();
    const sel = $('interval');
    if (![...sel.options].some(o => Number(o.value) === secs)) sel.append(el('option', { value: secs }, `${secs} s`));
    sel.value = String(secs);
    poller = Cairn.every(secs * 1000, poll);
    sel.addEventListener('change', () => {
      localStorage.setItem('cairn.dashboard.refresh', sel.value);
      poller.setPeriod(Number(sel.value) * 1000);
    });
    $('pause').addEventListener('click', () => {
      paused = !paused;
      $('pause').setAttribute('aria-pressed', String(paused));
      $('pause').textContent = paused ? 'Resume' : 'Pause';
      if (paused) poller.stop(); else poller.resume();
    });
  });
})();
