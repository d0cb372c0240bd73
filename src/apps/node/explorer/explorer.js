// streams-node explorer: plain JavaScript over /api/explorer. Reads public data only.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const PALETTE = ['#0b5cad', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207', '#be185d'];
const LETTERS = { announce: 'A', keyload: 'K', sequence: 'S', 'signed packet': 'P', 'tagged packet': 'T',
  subscribe: 'U', unsubscribe: 'X' };

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === 'onclick') node.addEventListener('click', value); else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  return node;
}

async function api(path) {
  const response = await fetch('/api/explorer/' + path);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : 'HTTP ' + response.status);
  return body;
}

function short(hex) { return hex && hex.length > 16 ? hex.slice(0, 8) + '…' + hex.slice(-6) : (hex || ''); }

function lookupButton(text, label) {
  return el('button', { type: 'button', class: 'link', title: text, onclick: () => lookup(text) }, label || short(text));
}

function definitions(pairs) {
  const list = el('dl');
  for (const [term, value] of pairs) {
    if (value === undefined || value === null) continue;
    list.append(el('dt', {}, term), el('dd', {}, value));
  }
  return list;
}

// ---- node: stored messages and ingest rate, sampled every two seconds ----------------------------
const samples = [];
async function sample() {
  try {
    const stats = await api('stats');
    samples.push(stats);
    if (samples.length > 60) samples.shift();
    document.getElementById('stored').textContent = stats.stored.toLocaleString('en');
    if (samples.length > 1) {
      const a = samples[samples.length - 2];
      const rate = Math.max(0, (stats.stored - a.stored) * 1000 / Math.max(1, stats.now_ms - a.now_ms));
      document.getElementById('rate').textContent = rate.toFixed(1);
    }
    drawChart();
  } catch (e) {
    document.getElementById('rate').textContent = 'unavailable (' + e.message + ')';
  }
}

function drawChart() {
  const chart = document.getElementById('chart');
  for (const old of chart.querySelectorAll('.rate, .stored')) old.remove();
  if (samples.length < 2) return;
  const rates = samples.slice(1).map((s, i) =>
    Math.max(0, (s.stored - samples[i].stored) * 1000 / Math.max(1, s.now_ms - samples[i].now_ms)));
  const maxRate = Math.max(1, ...rates);
  const maxStored = Math.max(1, ...samples.map((s) => s.stored));
  const x = (i, n) => (i * 600) / Math.max(1, n - 1);
  const area = samples.map((s, i) => `${x(i, samples.length)},${140 - (s.stored / maxStored) * 130}`);
  chart.append(svg('polygon', { class: 'stored', points: `0,140 ${area.join(' ')} 600,140` }));
  const line = rates.map((r, i) => `${x(i, rates.length)},${135 - (r / maxRate) * 125}`);
  chart.append(svg('polyline', { class: 'rate', points: line.join(' ') }));
}

// ---- recent messages ------------------------------------------------------------------------------
let olderThan = null;
function arrival(ms) { return ms ? new Date(ms).toLocaleTimeString() : 'unknown'; }

async function loadRecent(more) {
  const rows = document.getElementById('recent-rows');
  const path = 'recent?limit=25' + (more && olderThan ? '&before=' + olderThan : '');
  try {
    const page = await api(path);
    if (!more) rows.replaceChildren();
    for (const m of page.messages) {
      const s = m.streams;
      rows.append(el('tr', { 'data-id': m.id }, el('td', {}, arrival(m.arrived_ms)), el('td', {}, lookupButton(m.id)),
        el('td', {}, s ? s.type : 'not Streams'), el('td', { class: 'mono' }, s ? short(s.publisher) : ''),
        el('td', {}, s ? s.seq : ''),
        el('td', { class: s && !s.address_matches_index ? 'error' : '' },
          s ? (s.address_matches_index ? 'yes' : 'no: not at its address') : '')));
    }
    olderThan = page.next;
    document.getElementById('older').hidden = !page.next;
  } catch (e) {
    rows.replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'error' }, 'Could not load: ' + e.message)));
  }
}

// ---- lookups ----------------------------------------------------------------------------------------
function headerView(s) {
  if (!s) return el('p', { class: 'muted' }, 'Not a Streams message.');
  return definitions([
    ['Content type', `${s.type} (${s.content_type})`],
    ['Publisher', `${s.publisher} (${s.publisher_kind})`],
    ['Sequence number', s.seq],
    ['Linked message', s.linked ? lookupButton(s.linked, s.linked) : 'none (announce)'],
    ['Channel', s.channel ? lookupButton(s.channel, s.channel) : null],
    ['Address', s.address ? lookupButton(s.address, s.address) : null],
    ['Address matches index', s.address_matches_index ? 'yes' : 'no'],
  ]);
}

function messageView(m) {
  return el('div', { class: 'message', 'data-id': m.id }, el('h3', {}, 'Message ', el('span', { class: 'mono' }, m.id)),
    definitions([['Index', m.index ? lookupButton(m.index, m.index) : null], ['Size', m.size + ' bytes'],
      ['Parents', m.parents ? m.parents.map(short).join(' ') : null], ['Note', m.note]]),
    el('h3', {}, 'Streams header (public)'), headerView(m.streams));
}

function listView(title, page, kind) {
  const box = el('div', { class: 'listing' }, el('h3', {}, title));
  if (!page.messages.length) box.append(el('p', { class: 'muted' }, 'No message there on this node.'));
  for (const m of page.messages) {
    const mark = kind === 'address' ? (m.of_this_address ? ' — a message of this address' : ' — not of this address') : '';
    box.append(el('p', {}, lookupButton(m.id, m.id), ' ', m.streams ? m.streams.type : 'not Streams', mark));
  }
  if (page.capped) box.append(el('p', { class: 'muted' }, `Only the first ${page.window} messages at one index are shown.`));
  return box;
}

async function lookup(text) {
  const query = document.getElementById('query');
  query.value = text;
  const result = document.getElementById('result');
  result.replaceChildren(el('p', { class: 'muted' }, 'Looking up…'));
  try {
    // Hex and ':' go as they are (a server need not decode the path); anything else is escaped and refused.
    const clean = text.trim().toLowerCase();
    const answer = await api('lookup/' + (/^[0-9a-f:]+$/.test(clean) ? clean : encodeURIComponent(clean)));
    result.replaceChildren();
    result.dataset.kind = answer.kind;
    if (answer.kind === 'message') result.append(messageView(answer.result));
    if (answer.kind === 'index') result.append(listView('Messages at index ' + short(answer.result.index), answer.result));
    if (answer.kind === 'address') {
      const a = answer.result;
      result.append(listView('Messages at address ' + short(a.channel) + ':' + a.address.split(':')[1], a, 'address'));
      const first = a.messages.find((m) => m.of_this_address);
      if (first) result.append(messageView(first));
    }
    if (answer.kind === 'channel') channelView(result, answer.result);
  } catch (e) {
    result.replaceChildren(el('p', { class: 'error', role: 'alert' }, e.message));
  }
}

// ---- a channel's graph ------------------------------------------------------------------------------
function channelView(container, first) {
  const graph = { channel: first.channel, nodes: new Map(), edges: new Map(), publishers: [] };
  const summary = el('p', { id: 'graph-summary' });
  const key = el('div', { class: 'key' });
  const box = el('div', { class: 'graph' });
  const details = el('div', { id: 'node-details', 'aria-live': 'polite' });
  const more = el('button', { type: 'button', id: 'graph-more', hidden: '' }, 'Load more of the channel');
  container.append(el('h3', {}, 'Channel ', el('span', { class: 'mono' }, short(first.channel))),
    definitions([['Announce', first.announce], ['Type', first.channel_type], ['Announce status', first.announce_status]]),
    summary, key, box, el('div', { class: 'row' }, more), details);
  let next = null;
  const add = (page) => {
    for (const n of page.nodes) graph.nodes.set(n.msgid, n);
    for (const e of page.edges) graph.edges.set(e.from + e.to + e.kind, e);
    for (const p of page.publishers) if (!graph.publishers.includes(p.id)) graph.publishers.push(p.id);
    next = page.next;
    more.hidden = !next;
    drawGraph(graph, box, summary, key, details);
  };
  more.addEventListener('click', async () => {
    more.disabled = true;
    try { add(await api(`channel/${graph.channel}?cursor=${next}`)); } finally { more.disabled = false; }
  });
  add(first);
}

function colour(graph, publisher) {
  const i = graph.publishers.indexOf(publisher);
  return i < 0 ? '#57606a' : PALETTE[i % PALETTE.length];
}

// Columns by depth along the links (each message to the one it joins), rows in the order found.
function layout(graph) {
  const depth = new Map();
  const depthOf = (id, guard) => {
    if (depth.has(id)) return depth.get(id);
    const n = graph.nodes.get(id);
    const d = n && n.linked && graph.nodes.has(n.linked) && guard < 10000 ? depthOf(n.linked, guard + 1) + 1 : 0;
    depth.set(id, d);
    return d;
  };
  const columns = [];
  const place = new Map();
  for (const id of graph.nodes.keys()) {
    const d = depthOf(id, 0);
    columns[d] = (columns[d] || 0) + 1;
    place.set(id, { x: 50 + d * 90, y: 40 + (columns[d] - 1) * 56 });
  }
  return { place, width: 100 + (columns.length - 1) * 90, height: 80 + (Math.max(1, ...columns.map((c) => c || 0)) - 1) * 56 };
}

function drawGraph(graph, box, summary, key, details) {
  const { place, width, height } = layout(graph);
  const drawing = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-label': 'Channel graph' });
  drawing.append(svg('title'));
  drawing.firstChild.textContent = 'Messages of the channel and how they link';
  const defs = svg('defs');
  for (const kind of ['link', 'sequence']) {
    const marker = svg('marker', { id: 'arrow-' + kind, viewBox: '0 0 8 8', refX: 8, refY: 4, markerWidth: 7,
      markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrow ' + kind }));
    defs.append(marker);
  }
  drawing.append(defs);
  let edgeCount = 0;
  for (const e of graph.edges.values()) {
    const a = place.get(e.from);
    const b = place.get(e.to);
    if (!a || !b) continue;
    edgeCount += 1;
    // From a message to the one it links to (or from a sequence to what it sequences), ending at the
    // target's rim so that the arrow shows.
    const bend = e.kind === 'sequence' ? 22 : 0;
    const cx = (a.x + b.x) / 2;
    const cy = (a.y + b.y) / 2 - bend;
    const dx = b.x - cx;
    const dy = b.y - cy;
    const length = Math.max(1, Math.hypot(dx, dy));
    const ex = b.x - (dx / length) * 19;
    const ey = b.y - (dy / length) * 19;
    drawing.append(svg('path', { class: 'edge ' + e.kind, 'data-from': e.from, 'data-to': e.to,
      'marker-end': `url(#arrow-${e.kind})`, d: `M${a.x},${a.y} Q${cx},${cy} ${ex},${ey}` }));
  }
  for (const [id, n] of graph.nodes) {
    const p = place.get(id);
    const label = `${n.type || 'missing message'} ${short(n.msgid)}, publisher ${short(n.publisher)}, seq ${n.seq || '?'}, ${n.status}`;
    const g = svg('g', { class: 'node ' + n.status, tabindex: '0', role: 'button', 'aria-label': label,
      'data-msgid': id, 'data-type': n.type || '', transform: `translate(${p.x},${p.y})` });
    const title = svg('title');
    title.textContent = label;
    g.append(title);
    const fill = colour(graph, n.publisher);
    g.append(n.type === 'sequence'
      ? svg('rect', { class: 'shape', x: -11, y: -11, width: 22, height: 22, transform: 'rotate(45)', fill })
      : svg('circle', { class: 'shape', r: 17, fill }));
    const text = svg('text');
    text.textContent = n.status === 'unreadable' ? '?' : (LETTERS[n.type] || '·');
    g.append(text);
    if (n.status === 'refused') {
      const mark = svg('text', { class: 'mark', x: 20, y: -14 });
      mark.textContent = '✕';
      g.append(mark);
    }
    const show = () => {
      for (const s of box.querySelectorAll('.node.selected')) s.classList.remove('selected');
      g.classList.add('selected');
      details.replaceChildren(el('h3', {}, 'Selected: ' + (n.type || 'missing message')), definitions([
        ['Address', n.address], ['Status', n.status], ['Publisher', n.publisher], ['Sequence number', n.seq],
        ['Node message id', n.message_id ? lookupButton(n.message_id, n.message_id) : null],
        ['Sequences', n.sequences], ['Recipients', n.recipients ? n.recipients.map((r) => short(r.id)).join(' ') : null],
        ['Messages at the address', `${n.candidates}${n.more_candidates ? '+' : ''} (${n.others} not of this address)`]]));
    };
    g.addEventListener('click', show);
    g.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); show(); } });
    drawing.append(g);
  }
  box.replaceChildren(drawing);
  summary.textContent = `${graph.nodes.size} messages, ${edgeCount} links, ${graph.publishers.length} publishers`;
  summary.dataset.nodes = graph.nodes.size;
  summary.dataset.edges = edgeCount;
  key.replaceChildren(...graph.publishers.map((p) => {
    const dot = el('i', { class: 'dot' });
    dot.style.background = colour(graph, p);  // through the DOM: the page's policy allows no inline style
    return el('span', {}, dot, 'publisher ' + short(p));
  }),
  el('span', {}, 'A announce · U subscribe · K keyload · P signed · T tagged · ◆ sequence · dashed: sequence → message · red ✕ refused · grey ? unreadable · hollow: missing'));
}

// ---- start --------------------------------------------------------------------------------------------
document.getElementById('lookup-form').addEventListener('submit', (event) => {
  event.preventDefault();
  lookup(document.getElementById('query').value);
});
document.getElementById('refresh').addEventListener('click', () => loadRecent(false));
document.getElementById('older').addEventListener('click', () => loadRecent(true));
loadRecent(false);
sample();
setInterval(sample, 2000);
