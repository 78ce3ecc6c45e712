// The dashboard: one page, views chosen by the URL's hash (#/overview, #/messages, #/messages/{id}, #/repair, #/audit,
// #/worklist). Everything shown comes from the hub's JSON APIs; text is always inserted as text, never as HTML.
'use strict';

const api = {
  async get(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    return api.read(response);
  },
  async post(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      // The hub refuses cookie-authenticated changes without this header (cross-site request guard).
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Hub-Request': '1' },
      body: JSON.stringify(body ?? {}),
    });
    return api.read(response);
  },
  async read(response) {
    if (response.status === 401) { location.href = '/signin?returnUrl=' + encodeURIComponent('/' + location.hash); throw new Error('signed out'); }
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const reason = data && (data.error || data.title || data.detail || (data.issue && data.issue[0] && data.issue[0].diagnostics));
      throw new Error(`${response.status} ${reason || response.statusText}`);
    }
    return data;
  },
};

// h('tag.class', {attr: value, onclick: fn}, child, ...): builds elements; strings become text nodes.
function h(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'testid') el.dataset.testid = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const view = document.getElementById('view');
let me = null;
let refreshTimer = null;

// Views load their data asynchronously. A view the user has left before its data arrived must neither replace the
// page they went to nor go on refreshing over it, so route() counts the visits and a view shows only during its own.
// A refresh starts a while after the previous one ended, not on a fixed beat: with a slow server, loads on a beat
// would overlap and an older answer could land after a newer one.
let visit = 0;
function showing() {
  const mine = visit;
  const current = () => mine === visit;
  const refreshEvery = (load, ms) => {
    const next = () => { refreshTimer = setTimeout(async () => { try { await load(); } finally { if (current()) next(); } }, ms); };
    if (current()) next();
  };
  return { refreshEvery, show: (...children) => { if (current()) view.replaceChildren(...children); } };
}
function when(value) { return value ? new Date(value).toLocaleString('da-DK') : ''; }
function state(value) { return h('span.state.' + String(value || '').toLowerCase(), {}, value || ''); }
function table(columns, rows, onClick, testid) {
  return h('table', { testid },
    h('thead', {}, h('tr', {}, columns.map(c => h('th', {}, c.title)))),
    h('tbody', {}, rows.length === 0
      ? h('tr', {}, h('td.muted', { colspan: columns.length }, 'Nothing here.'))
      : rows.map(row => h('tr' + (onClick ? '.clickable' : ''), { onclick: onClick ? () => onClick(row) : null, testid: testid ? testid + '-row' : null },
          columns.map(c => h('td', {}, c.value(row)))))));
}
function failure(error) { return h('p.error', { testid: 'error' }, String(error.message || error)); }
function isOperator() { return me && me.role === 'operator'; }
function canAudit() { return me && (me.role === 'operator' || me.role === 'auditor'); }

// ------------------------------------------------------------------------------------------------ overview
const palette = { received: '#0b5cad', processed: '#1a7f37', failed: '#c0392b', parked: '#9a6700' };

function chart(series, keys) {
  const width = 600, height = 150, n = Math.max(series.length, 1);
  const max = Math.max(1, ...series.map(p => Math.max(...keys.map(k => p[k] || 0))));
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  for (const key of keys) {
    const points = series.map((p, i) => `${(i / Math.max(n - 1, 1)) * width},${height - ((p[key] || 0) / max) * (height - 10)}`).join(' ');
    const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    line.setAttribute('points', points);
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', palette[key]);
    line.setAttribute('stroke-width', '2');
    line.setAttribute('vector-effect', 'non-scaling-stroke');
    svg.append(line);
  }
  return h('div.chart', {}, svg,
    // Classes, not style attributes: the Content Security Policy allows no inline styles.
    h('div.legend', {}, keys.map(k => h('span', {}, h('i.key-' + k), k)),
      h('span.muted', {}, `max ${max} per bucket`)));
}

function breakdown(title, rows, testid) {
  return h('div.panel', {}, h('h2', {}, title), table([
    { title: 'name', value: r => r.key },
    { title: 'received', value: r => r.totals.received },
    { title: 'processed', value: r => r.totals.processed },
    { title: 'failed', value: r => r.totals.failed },
    { title: 'parked', value: r => r.totals.parked },
    { title: 'error rate', value: r => percent(r.errorRate) },
    { title: '', value: r => spark(r.series) },
  ], rows, null, testid));
}

// A small line of the received messages per bucket, beside each type or municipality.
function spark(series) {
  const svg = chart(series || [], ['received']).querySelector('svg');
  svg.setAttribute('class', 'spark');
  return svg;
}

async function overviewView(range) {
  const { show, refreshEvery } = showing();
  range = range || 'hour';
  const load = async () => {
    let overview, broker;
    try {
      [overview, broker] = await Promise.all([api.get('/api/dashboard/overview?range=' + range), api.get('/api/dashboard/broker').catch(e => ({ error: e.message }))]);
    } catch (error) { show(failure(error)); return; }
    const totals = overview.totals || {};
    show(
      h('h1', {}, 'Overview'),
      h('div.tabs', {}, ['hour', 'day', 'week'].map(r => h('button' + (r === range ? '' : '.secondary'), { onclick: () => { location.hash = '#/overview/' + r; } }, 'last ' + r))),
      h('div.cards', { testid: 'totals' },
        card('received', totals.received, 'total-received'),
        card('processed', totals.processed, 'total-processed'),
        card('failed', totals.failed, 'total-failed'),
        card('parked', totals.parked, 'total-parked'),
        card('error rate', percent(overview.errorRate) || '–', 'error-rate'),
        card('per minute (last 5 min)', overview.rate ? overview.rate.lastFiveMinutes.toFixed(1) : '', 'per-minute'),
        card('ACKs awaited', overview.acks.awaited, 'acks-awaited'),
        card('ACKs overdue', overview.acks.overdue, 'acks-overdue'),
        card('ACKs in error', overview.acks.inError, 'acks-in-error'),
        card('ACKs to partners not delivered', overview.acks.acksUndelivered, 'acks-undelivered')),
      h('div.panel', {}, h('h2', {}, `Messages per ${overview.bucketMinutes} min`),
        chart(overview.series || [], ['received', 'processed', 'failed', 'parked']),
        h('p.muted', {}, overview.countedUntil ? 'counted until ' + when(overview.countedUntil) : 'not counted yet')),
      breakdown('By message type', overview.byType || [], 'by-type'),
      breakdown('By municipality', overview.byMunicipality || [], 'by-municipality'),
      brokerPanel(broker),
      h('p.muted', {}, 'Updated ' + new Date().toLocaleTimeString('da-DK') + ' · refreshes every 2 seconds'));
  };
  await load();
  refreshEvery(load, 2000);
}

function brokerPanel(broker) {
  if (!broker || broker.error) return h('div.panel', {}, h('h2', {}, 'Broker'), h('p.error', {}, broker ? broker.error : 'not available'));
  return h('div.panel', { testid: 'broker' },
    h('h2', {}, `Broker (${broker.source || ''}) `, state(broker.healthy ? 'ok' : 'failed')),
    table([
      { title: 'queue', value: q => q.name },
      { title: 'ready', value: q => q.ready ?? q.messagesReady ?? '' },
      { title: 'unacked', value: q => q.unacked ?? q.messagesUnacknowledged ?? '' },
      { title: 'consumers', value: q => q.consumers ?? '' },
      { title: 'publish/s', value: q => rate(q.publishRate) },
      { title: 'deliver/s', value: q => rate(q.deliverRate) },
    ], broker.queues || [], null, 'queues'));
}
function card(label, n, testid) { return h('div.card', { testid }, h('div.n', {}, n ?? ''), h('div.l', {}, label)); }
function percent(x) { return x === undefined || x === null ? '' : (x * 100).toFixed(1) + ' %'; }
function rate(x) { return x === undefined || x === null ? '' : Number(x).toFixed(1); }

// ------------------------------------------------------------------------------------------------ find a message
const searchFields = [
  ['messageHeaderId', 'MessageHeader.id'], ['type', 'type'], ['eventCode', 'event code'], ['sender', 'sender'],
  ['receiver', 'receiver'], ['state', 'state'], ['from', 'from'], ['to', 'to'],
];

async function messagesView(query) {
  const { show, refreshEvery } = showing();
  const params = new URLSearchParams(query || '');
  const form = h('form.search', { testid: 'search-form', onsubmit: event => {
    event.preventDefault();
    const q = new URLSearchParams();
    for (const [name] of searchFields) { const v = form.elements[name].value.trim(); if (v) q.set(name, name === 'from' || name === 'to' ? new Date(v).toISOString() : v); }
    location.hash = '#/messages?' + q.toString();
  } },
    searchFields.map(([name, title]) => h('label', {}, title, name === 'state'
      ? h('select', { name, id: 'search-' + name }, ['', 'Received', 'Routed', 'Processed', 'Failed', 'Parked', 'Discarded'].map(s => h('option', s === params.get(name) ? { value: s, selected: true } : { value: s }, s || 'any')))
      : h('input', { name, id: 'search-' + name, type: name === 'from' || name === 'to' ? 'datetime-local' : 'text', value: name === 'from' || name === 'to' ? '' : params.get(name) || '' }))),
    h('button', { type: 'submit', id: 'search' }, 'Search'));
  const results = h('div.panel', {}, h('p.muted', {}, 'Searching…'));
  show(h('h1', {}, 'Find a message'), form, results);
  let shown = null;
  const load = async () => {
    try {
      const found = await api.get('/api/messages?' + params.toString());
      const rows = found.items;
      const fingerprint = JSON.stringify(rows);
      if (fingerprint === shown) return; // nothing new: leave the table (and the user's pointer) alone
      shown = fingerprint;
      results.replaceChildren(table([
        { title: 'received', value: m => when(m.receivedAt) },
        { title: 'type', value: m => m.type },
        { title: 'event', value: m => m.eventCode || '' },
        { title: 'sender', value: m => partyName(m.sender) },
        { title: 'receiver', value: m => partyName(m.receiver) },
        { title: 'municipality', value: m => m.municipality || '' },
        { title: 'citizen', value: m => m.citizen || '' },
        { title: 'state', value: m => state(m.state) },
        { title: 'MessageHeader.id', value: m => m.messageHeaderId },
      ], rows, m => { location.hash = '#/messages/' + encodeURIComponent(m.messageHeaderId); }, 'messages'));
    } catch (error) { results.replaceChildren(failure(error)); }
  };
  await load();
  refreshEvery(load, 3000); // new messages appear without reloading
}

async function traceView(id) {
  const { show } = showing();
  let trace;
  try { trace = await api.get('/api/messages/' + encodeURIComponent(id)); } catch (error) { show(failure(error)); return; }
  const raw = h('div.panel', {}, h('h2', {}, 'Raw body (CPR masked)'), h('p.muted', {}, 'Loading…'));
  const cpr = h('span', { testid: 'citizen' }, trace.citizen || '');
  show(
    h('h1', {}, `${trace.type} ${trace.eventCode || ''} `, state(trace.state)),
    h('div.panel', { testid: 'trace-summary' }, table([{ title: '', value: r => r[0] }, { title: '', value: r => r[1] }], [
      ['MessageHeader.id', trace.messageHeaderId],
      ['Bundle.ids', (trace.bundleIds || []).join(', ')],
      ['sender', party(trace.sender)],
      ['receiver', party(trace.receiver)],
      ['municipality', trace.municipality || ''],
      ['citizen', h('span', {}, cpr, ' ', trace.citizen ? h('button.secondary', { id: 'reveal-cpr', onclick: () => revealCpr(trace, cpr) }, 'Show CPR…') : '')],
      ['failure', trace.failureReason || ''],
      ['duplicates', trace.duplicates],
      ['acknowledgement', trace.acknowledgement ? `${trace.acknowledgement.code} ${(trace.acknowledgement.issueCodes || []).join(' ')} · ${trace.acknowledgement.delivered ? 'delivered ' + when(trace.acknowledgement.deliveredAt) : 'not delivered'}` : 'none yet'],
    ])),
    isOperator() && (trace.state === 'failed' || trace.state === 'parked') ? repairActions(trace) : '',
    h('div.panel', {}, h('h2', {}, 'Path'), h('ol.timeline', { testid: 'timeline' },
      (trace.history || []).map(s => h('li', {}, h('strong', {}, s.step), ' ', h('span.muted', {}, when(s.at)), ' ', s.detail || '')))),
    trace.sending ? sendingPanel('Sent on by the hub', [trace.sending]) : '',
    trace.caused && trace.caused.length ? sendingPanel('Caused', trace.caused) : '',
    raw);
  try {
    const bodies = await api.get('/api/messages/' + encodeURIComponent(id) + '/raw');
    const list = bodies.bodies;
    raw.replaceChildren(h('h2', {}, 'Raw body (CPR masked)'), ...list.map(b => h('div', {},
      h('p.muted', {}, `${when(b.receivedAt)} · ${b.contentType || ''} · ${b.outcome || ''}`), h('pre', { testid: 'raw-body' }, b.body || ''))));
  } catch (error) { raw.replaceChildren(h('h2', {}, 'Raw body'), failure(error)); }
}
function partyName(p) { return p ? (p.name || p.partnerId || p.sor || p.ean || '') : ''; }
function party(p) { return p ? [p.name || p.partnerId || '', p.sor ? `SOR ${p.sor}` : '', p.ean ? `EAN ${p.ean}` : ''].filter(Boolean).join(' · ') : ''; }
function sendingPanel(title, sendings) {
  return h('div.panel', {}, h('h2', {}, title), table([
    { title: 'type', value: s => s.type },
    { title: 'receiver', value: s => s.receiver },
    { title: 'state', value: s => state(s.state) },
    { title: 'sendings', value: s => s.sendings },
    { title: 'ACK', value: s => s.ackCode || '' },
    { title: 'deadline', value: s => when(s.ackDeadline) },
  ], sendings));
}

async function revealCpr(trace, target) {
  const reason = prompt('Why do you need to see the CPR number? (recorded in the audit)');
  if (!reason) return;
  try {
    const answer = await api.post('/api/messages/' + encodeURIComponent(trace.messageHeaderId) + '/cpr', { reason });
    target.textContent = answer.cpr;
  } catch (error) { alert(error.message); }
}

// ------------------------------------------------------------------------------------------------ repair
function repairActions(trace) {
  const result = h('div.result', { testid: 'repair-result' });
  const reason = h('input', { id: 'repair-reason', placeholder: 'reason (required to discard)', size: 40 });
  const act = async (path, body) => {
    try { result.replaceChildren(describeOutcome(await api.post(path, body))); } catch (error) { result.replaceChildren(failure(error)); }
  };
  const base = '/api/repair/messages/' + encodeURIComponent(trace.id || trace.messageId || trace.messageHeaderId);
  return h('div.panel', { testid: 'repair' }, h('h2', {}, 'Repair'), reason, ' ',
    h('button.secondary', { id: 'dry-run', onclick: () => act(base + '/retry?dryRun=true', { reason: reason.value }) }, 'Dry run'), ' ',
    h('button', { id: 'retry', onclick: () => act(base + '/retry?dryRun=false', { reason: reason.value }) }, 'Retry'), ' ',
    h('button.danger', { id: 'discard', onclick: () => act(base + '/discard', { reason: reason.value }) }, 'Discard'),
    result);
}

// Retry answers {dryRun, retried, messages:[{messageHeaderId, summary, …}]}; discard {messageHeaderId, state}; replay
// {dryRun, replayMessageHeaderId, receiverName, channel, warnings}.
function describeOutcome(outcome) {
  if (outcome.messages) {
    return h('div', {}, h('p', { testid: 'outcome-summary' }, outcome.dryRun
        ? `Dry run: nothing was changed. ${outcome.messages.length} message(s) checked.`
        : `Retried ${outcome.retried} of ${outcome.messages.length} message(s).`),
      h('ul', {}, outcome.messages.map(m => h('li', { testid: 'outcome-message' }, `${m.messageHeaderId}: ${m.summary}`))));
  }
  if (outcome.replayMessageHeaderId !== undefined) {
    return h('div', {}, h('p', { testid: 'outcome-summary' }, outcome.dryRun
        ? `Dry run: would send ${outcome.type} to ${outcome.receiverName} by ${outcome.channel}.`
        : `Sent as ${outcome.replayMessageHeaderId} to ${outcome.receiverName} by ${outcome.channel}; tracked until acknowledged.`),
      h('ul', {}, (outcome.warnings || []).map(w => h('li.error', {}, w))));
  }
  if (outcome.added !== undefined) {
    return h('p', { testid: 'outcome-summary' }, `Registry reloaded: ${outcome.partners} partners; added ${outcome.added.length ? outcome.added.join(', ') : 'none'}, removed ${outcome.removed.length ? outcome.removed.join(', ') : 'none'}.`);
  }
  return h('p', { testid: 'outcome-summary' }, `${outcome.messageHeaderId} is now ${outcome.state}.`);
}

async function repairView() {
  const { show } = showing();
  let groups;
  try { groups = await api.get('/api/repair/groups'); } catch (error) { show(failure(error)); return; }
  const rows = groups;
  const detail = h('div', {});
  show(h('h1', {}, 'Failed and parked messages'),
    isOperator() ? reloadPanel() : '',
    h('div.panel', {}, table([
      { title: 'reason', value: g => g.reason },
      { title: 'state', value: g => state(g.state) },
      { title: 'messages', value: g => g.count },
      { title: 'oldest', value: g => when(g.oldest) },
      { title: 'newest', value: g => when(g.newest) },
      { title: 'types', value: g => (g.messageTypes || []).join(', ') },
      { title: 'municipalities', value: g => (g.municipalities || []).join(', ') },
    ], rows, g => groupDetail(g, detail), 'groups')),
    detail,
    isOperator() ? replayPanel() : '');
}

async function groupDetail(group, target) {
  const result = h('div.result', { testid: 'group-result' });
  const reason = h('input', { id: 'group-reason', placeholder: 'reason', size: 40 });
  const base = '/api/repair/groups/' + encodeURIComponent(group.key);
  const act = async (dryRun) => {
    try { result.replaceChildren(describeOutcome(await api.post(`${base}/retry?dryRun=${dryRun}`, { reason: reason.value }))); } catch (error) { result.replaceChildren(failure(error)); }
  };
  let messages = [];
  try { messages = await api.get(base + '/messages'); } catch (error) { target.replaceChildren(failure(error)); return; }
  target.replaceChildren(h('div.panel', { testid: 'group' }, h('h2', {}, group.reason),
    isOperator() ? h('p', {}, reason, ' ', h('button.secondary', { id: 'group-dry-run', onclick: () => act(true) }, 'Dry run'), ' ', h('button', { id: 'group-retry', onclick: () => act(false) }, 'Retry all')) : '',
    result,
    table([
      { title: 'received', value: m => when(m.receivedAt) },
      { title: 'type', value: m => m.type },
      { title: 'event', value: m => m.eventCode || '' },
      { title: 'sender', value: m => m.senderName || m.senderPartnerId || '' },
      { title: 'receiver', value: m => m.receiverName || [m.receiverSor && 'SOR ' + m.receiverSor, m.receiverEan && 'EAN ' + m.receiverEan].filter(Boolean).join(' · ') },
      { title: 'state', value: m => state(m.state) },
      { title: 'MessageHeader.id', value: m => m.messageHeaderId },
    ], messages, m => { location.hash = '#/messages/' + encodeURIComponent(m.messageHeaderId); }, 'group-messages')));
}

// After a partner is added to the registry file (e.g. the receiver of parked messages), the hub reads it again.
function reloadPanel() {
  const reason = h('input', { id: 'reload-reason', placeholder: 'reason', size: 40 });
  const result = h('div.result', { testid: 'reload-result' });
  return h('div.panel', {}, h('h2', {}, 'Partner registry'), reason, ' ',
    h('button.secondary', { id: 'reload-partners', onclick: async () => {
      try { result.replaceChildren(describeOutcome(await api.post('/api/repair/partners/reload', { reason: reason.value }))); } catch (error) { result.replaceChildren(failure(error)); }
    } }, 'Reload the partner registry'), result);
}

function replayPanel() {
  const id = h('input', { id: 'replay-message', placeholder: 'message id of a processed message', size: 38 });
  const receiver = h('input', { id: 'replay-receiver', placeholder: 'receiver partner id', size: 28 });
  const reason = h('input', { id: 'replay-reason', placeholder: 'reason', size: 30 });
  const result = h('div.result', { testid: 'replay-result' });
  const act = async (dryRun) => {
    try {
      result.replaceChildren(describeOutcome(await api.post('/api/repair/messages/' + encodeURIComponent(id.value.trim()) + '/replay',
        { receiverPartnerId: receiver.value.trim(), reason: reason.value, dryRun })));
    } catch (error) { result.replaceChildren(failure(error)); }
  };
  return h('div.panel', {}, h('h2', {}, 'Replay a processed message to a receiver'), id, ' ', receiver, ' ', reason, ' ',
    h('button.secondary', { onclick: () => act(true) }, 'Dry run'), ' ', h('button', { id: 'replay', onclick: () => act(false) }, 'Replay'), result);
}

// ------------------------------------------------------------------------------------------------ audit
async function auditView() {
  const { show } = showing();
  let entries;
  try { entries = await api.get('/api/audit'); } catch (error) { show(failure(error)); return; }
  show(h('h1', {}, 'Audit'), h('p.muted', {}, `${entries.total} entries, newest first`), h('div.panel', {}, table([
    { title: 'when', value: e => when(e.at) },
    { title: 'who', value: e => e.actor },
    { title: 'role', value: e => e.role },
    { title: 'what', value: e => e.action },
    { title: 'target', value: e => e.target || '' },
    { title: 'why', value: e => e.reason || '' },
    { title: 'outcome', value: e => e.outcome || '' },
    { title: 'municipality', value: e => e.municipality || '' },
  ], entries.entries, null, 'audit')));
}

// ------------------------------------------------------------------------------------------------ municipal worklist
async function worklistView(code) {
  const { show } = showing();
  code = code || (me && me.municipality);
  if (!code) {
    const input = h('input', { id: 'worklist-municipality', placeholder: 'kommunekode, e.g. 163', size: 10 });
    show(h('h1', {}, 'Municipal worklist'), h('form.search', { onsubmit: e => { e.preventDefault(); location.hash = '#/worklist/' + input.value.trim(); } },
      h('label', {}, 'municipality', input), h('button', { type: 'submit' }, 'Show')));
    return;
  }
  let worklist, figures;
  try {
    [worklist, figures] = await Promise.all([api.get(`/api/municipalities/${encodeURIComponent(code)}/worklist`), api.get(`/api/municipalities/${encodeURIComponent(code)}/key-figures`)]);
  } catch (error) { show(failure(error)); return; }
  const episodes = (rows, testid) => table([
    { title: 'citizen', value: e => e.citizen },
    { title: 'what', value: e => [e.source, e.level || e.programme].filter(Boolean).join(' ') },
    { title: 'responsible', value: e => e.responsibleUnit },
    { title: 'state', value: e => state(e.state) },
    { title: 'discharge', value: e => e.dischargeDate || '' },
    { title: 'start deadline', value: e => e.startDeadline || '' },
    { title: 'planned start', value: e => e.plannedStart || '' },
    { title: 'note', value: e => [e.freeChoiceOffered ? 'free choice offered' : '', e.postponementReason || ''].filter(Boolean).join(' · ') },
  ], rows, null, testid);
  show(h('h1', {}, `Worklist · municipality ${worklist.municipalityCode} · ${worklist.today}`),
    h('div.cards', { testid: 'key-figures' },
      card('active episodes', figures.activeEpisodes), card('closed episodes', figures.closedEpisodes),
      card('days discharge → start (median)', figures.medianDaysFromDischargeToStart ?? '–'),
      card('started within 7 days', percent(figures.shareStartedWithin7Days) || '–'),
      card('goals met', `${figures.goalsMet} / ${figures.goalsEvaluated}`),
      card('readmissions within 30 days', `${figures.readmissions30Days} / ${figures.discharges}`)),
    h('div.panel', {}, h('h2', {}, 'Admitted now'), table([
      { title: 'citizen', value: a => a.citizen }, { title: 'hospital', value: a => a.hospital }, { title: 'ward', value: a => a.ward || '' },
      { title: 'state', value: a => state(a.state) }, { title: 'since', value: a => when(a.since) },
    ], worklist.admittedNow, null, 'admitted')),
    h('div.panel', {}, h('h2', {}, 'Expected discharges'), episodes(worklist.expectedDischarges, 'expected')),
    h('div.panel', {}, h('h2', {}, 'Plans waiting to start'), episodes(worklist.waitingToStart, 'waiting')),
    h('div.panel', {}, h('h2', { class: 'error' }, 'Overdue (7-day deadline passed)'), episodes(worklist.overdue, 'overdue')));
}

// ------------------------------------------------------------------------------------------------ routing
async function route() {
  visit++;
  clearTimeout(refreshTimer);
  refreshTimer = null;
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query] = hash.split('?');
  const [name, arg] = path.split('/');
  for (const link of document.querySelectorAll('#nav a')) link.classList.toggle('active', link.dataset.view === (name || 'overview'));
  switch (name) {
    case 'messages': return arg ? traceView(decodeURIComponent(arg)) : messagesView(query);
    case 'repair': return repairView();
    case 'audit': return auditView();
    case 'worklist': return worklistView(arg);
    default: return overviewView(arg);
  }
}

(async () => {
  me = await api.get('/api/me');
  document.getElementById('who').textContent = `${me.displayName || me.name} · ${me.role}${me.municipality ? ' · ' + me.municipality : ''}`;
  // Show only what the role may use: the audit is for operators and auditors, the worklist for municipal work.
  for (const link of document.querySelectorAll('#nav a')) {
    const v = link.dataset.view;
    link.hidden = (v === 'audit' && !canAudit()) || (v === 'worklist' && me.role === 'auditor');
  }
  if (!location.hash && me.role === 'municipal') location.hash = '#/worklist';
  window.addEventListener('hashchange', route);
  await route();
})();
