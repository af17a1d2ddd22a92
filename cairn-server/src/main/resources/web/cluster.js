/* Cairn: the "Cluster" panel of / and the status pill in the top bar of both pages. */
'use strict';

const CairnCluster = (() => {
  const { el, fmt, getJson } = Cairn;
  const listeners = [];
  let nodes = new Map();
  let health = null;

  const stateClass = s => (s === 'ALIVE' ? 'ok' : s === 'SUSPECT' ? 'warn' : 'bad');

  function pill(view) {
    const p = document.getElementById('cluster-pill');
    if (!p) return;
    if (!view) {
      p.replaceChildren(el('span', { class: 'dot bad' }), ' node unreachable');
      return;
    }
    const alive = view.nodes.filter(n => n.state === 'ALIVE').length;
    const cls = view.leader === null ? 'bad' : alive === view.nodes.length ? 'ok' : 'warn';
    p.replaceChildren(el('span', { class: 'dot ' + cls }),
      ` ${alive}/${view.nodes.length} nodes alive · ` + (view.leader === null ? 'no leader' : `leader ${view.leader}`));
  }

  function healthText() {
    if (!health) return 'Replication: n/a';
    const under = health.underReplicatedChunks;
    if (under === null || under === undefined) return 'Replication: n/a';
    if (under === 0) return 'Replication: healthy (every chunk on all its replicas)';
    const lost = health.lostChunks > 0 ? `, ${fmt.int(health.lostChunks)} with no live replica` : '';
    const eta = health.etaSeconds === null || health.etaSeconds === undefined ? '' : `, about ${fmt.duration(health.etaSeconds)} left`;
    return `Replication: ${fmt.int(under)} chunks under-replicated${lost}; healing ` +
      `${fmt.bytes(health.bytesRemaining)} at ${fmt.bytesRate(health.healRateBytesPerSecond)}${eta}`;
  }

  function summary(view) {
    const s = document.getElementById('cluster-summary');
    if (!s) return;
    const alive = view.nodes.filter(n => n.state === 'ALIVE').length;
    const used = view.nodes.reduce((a, n) => a + (n.usedBytes || 0), 0);
    const free = view.nodes.reduce((a, n) => a + (n.freeBytes || 0), 0);
    s.replaceChildren(
      el('span', {}, 'Leader ', el('b', { id: 'leader' }, view.leader === null ? 'none' : 'node ' + view.leader)),
      el('span', {}, 'Term ', el('b', { id: 'term' }, String(view.term))),
      el('span', {}, el('b', { id: 'alive' }, `${alive} of ${view.nodes.length}`), ' nodes alive'),
      el('span', {}, el('b', {}, fmt.bytes(used)), ' used, ', el('b', {}, fmt.bytes(free)), ' free'),
      el('span', { id: 'replication-health', 'data-status': health ? health.status : 'unknown' }, healthText()));
  }

  function nodeCard(n, leader) {
    const used = n.usedBytes ?? null; const free = n.freeBytes ?? null;
    const total = used !== null && free !== null ? used + free : null;
    const share = total ? Math.min(100, (100 * used) / total) : 0;
    const age = n.lastHeartbeatAgeMs;
    return el('li', { class: 'node' + (n.state === 'DEAD' ? ' dead' : ''), 'data-node': n.id, 'data-state': n.state },
      el('header', {},
        el('span', {}, el('span', { class: 'name' }, 'Node ' + n.id),
          n.id === leader ? el('span', { class: 'leader-badge', title: 'Raft leader' }, 'LEADER') : null),
        el('span', { class: 'state ' + n.state }, n.state)),
      el('div', { class: 'small muted' }, el('a', { href: n.httpAddress + '/' }, n.httpAddress.replace(/^https?:\/\//, '')),
        n.zone ? ' · zone ' + n.zone : ''),
      el('div', { class: 'meter', role: 'img', 'aria-label': `Disk: ${fmt.bytes(used)} used of ${fmt.bytes(total)}` },
        el('span', { style: `width:${share.toFixed(1)}%` })),
      el('div', { class: 'small' }, `${fmt.bytes(used)} used · ${fmt.bytes(free)} free`),
      el('div', { class: 'small muted' }, age === undefined || age === null ? '' :
        age === 0 ? 'this node' : `last heartbeat ${fmt.duration(age / 1000)} ago`));
  }

  function render(view) {
    nodes = new Map(view.nodes.map(n => [n.id, n]));
    pill(view);
    summary(view);
    const list = document.getElementById('nodes');
    if (list) list.replaceChildren(...view.nodes.map(n => nodeCard(n, view.leader)));
    const err = document.getElementById('cluster-error');
    if (err) err.hidden = true;
    listeners.forEach(f => f(view));
  }

  function failed(e) {
    pill(null);
    const err = document.getElementById('cluster-error');
    if (!err) return;
    err.hidden = false;
    const others = [...nodes.values()].filter(n => !location.href.startsWith(n.httpAddress));
    err.replaceChildren('Cannot read the cluster from this node: ' + e.message + '.',
      others.length ? ' Try another node: ' : '',
      ...others.map((n, i) => [i ? ', ' : '', el('a', { href: n.httpAddress + '/' }, 'node ' + n.id)]));
  }

  async function refresh() {
    try { render(await getJson('/api/v1/cluster')); } catch (e) { failed(e); }
  }

  async function refreshHealth() {
    try {
      health = await getJson('/api/v1/cluster/health');
      const h = document.getElementById('replication-health');
      if (h) { h.textContent = healthText(); h.dataset.status = health.status; }
    } catch (e) { health = null; }
  }

  document.addEventListener('DOMContentLoaded', () => {
    Cairn.every(5000, refresh);
    if (document.getElementById('cluster-summary')) Cairn.every(5000, refreshHealth);
  });

  return {
    node: id => nodes.get(id),
    onChange: f => listeners.push(f),
    stateClass,
    refresh,
  };
})();
