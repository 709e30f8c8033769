// The dashboard: cluster stats from /api/stats/stream, a chart drawn on a canvas, the
// notification feed from /api/events (resumed across reconnects), and a publish form.
const $ = (id) => document.getElementById(id);
const HISTORY_SECONDS = 60;
const samples = []; // { inRate, outRate }
let previous = null;
let lastEventId = null;

function setStatus(kind, text) {
  $('status').dataset.state = kind;
  $('status').textContent = text;
}

function token() {
  return sessionStorage.getItem('switchboard.token');
}

/** An EventSource URL; in token mode with a fresh one-use ticket. */
async function streamUrl(path) {
  if (!token()) return path;
  const response = await fetch('api/tickets', { method: 'POST', headers: { Authorization: 'Bearer ' + token() } });
  if (!response.ok) throw new Error('ticket refused');
  const { ticket } = await response.json();
  return path + (path.includes('?') ? '&' : '?') + 'ticket=' + encodeURIComponent(ticket);
}

/** Opens an EventSource and reopens it (with backoff) when the browser gives up on it. */
function stream(path, handlers, onOpen) {
  let attempt = 0;
  let source = null;
  const open = async () => {
    let url;
    try {
      url = await streamUrl(typeof path === 'function' ? path() : path);
    } catch {
      setTimeout(open, Math.min(10000, 500 * 2 ** attempt++));
      return;
    }
    source = new EventSource(url);
    for (const [name, handler] of Object.entries(handlers)) source.addEventListener(name, handler);
    source.onopen = () => { attempt = 0; onOpen?.(); };
    source.onerror = () => {
      setStatus('connecting', 'Reconnecting…');
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(open, Math.min(10000, 500 * 2 ** attempt++));
      }
    };
  };
  open();
  return { close: () => source?.close() };
}

function renderStats(stats) {
  const t = stats.totals;
  $('t-nodes').textContent = t.nodes;
  $('t-connections').textContent = t.connections;
  $('t-sse').textContent = t.sseClients;
  $('t-rooms').textContent = t.rooms;
  $('t-in').textContent = t.messagesIn;
  $('t-out').textContent = t.messagesOut;
  const rows = stats.nodes.map((n) => {
    const row = document.createElement('tr');
    for (const value of [n.node, n.connections, n.sseClients, n.rooms, n.messagesIn, n.messagesOut, uptime(n.uptimeMs)]) {
      const cell = document.createElement(row.children.length === 0 ? 'th' : 'td');
      if (row.children.length === 0) cell.scope = 'row';
      cell.textContent = String(value);
      row.append(cell);
    }
    return row;
  });
  $('nodes').replaceChildren(...rows);
  const now = Date.now();
  if (previous) {
    const seconds = Math.max(0.001, (now - previous.at) / 1000);
    samples.push({
      inRate: Math.max(0, (t.messagesIn - previous.in) / seconds),
      outRate: Math.max(0, (t.messagesOut - previous.out) / seconds),
    });
    if (samples.length > HISTORY_SECONDS) samples.shift();
    const last = samples[samples.length - 1];
    $('rate-now').textContent = `now: ${last.inRate.toFixed(1)} in/s, ${last.outRate.toFixed(1)} out/s`;
    $('chart').dataset.points = String(samples.length);
    $('chart').dataset.lastIn = last.inRate.toFixed(1);
    draw();
  }
  previous = { at: now, in: t.messagesIn, out: t.messagesOut };
}

function uptime(ms) {
  const s = Math.floor(ms / 1000);
  return s < 120 ? s + ' s' : s < 7200 ? Math.floor(s / 60) + ' min' : Math.floor(s / 3600) + ' h';
}

function draw() {
  const canvas = $('chart');
  const g = canvas.getContext('2d');
  const w = canvas.width;
  const h = canvas.height;
  g.clearRect(0, 0, w, h);
  const peak = Math.max(1, ...samples.map((s) => Math.max(s.inRate, s.outRate / 10)));
  g.strokeStyle = '#e3e7ee';
  g.lineWidth = 1;
  for (let i = 1; i < 4; i++) {
    g.beginPath();
    g.moveTo(0, (h * i) / 4);
    g.lineTo(w, (h * i) / 4);
    g.stroke();
  }
  const line = (pick, color) => {
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    samples.forEach((s, i) => {
      const x = (w * i) / (HISTORY_SECONDS - 1);
      const y = h - 4 - ((h - 8) * pick(s)) / peak;
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    });
    g.stroke();
  };
  line((s) => s.outRate / 10, '#1f8a4c');
  line((s) => s.inRate, '#2f5bd8');
  g.fillStyle = '#5d6678';
  g.font = '12px system-ui';
  g.fillText(peak.toFixed(0) + '/s', 4, 14);
}

function addNotification({ id, name, data: text }) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return;
  }
  if (id) lastEventId = id;
  const item = document.createElement('li');
  if (name === 'resync') {
    item.textContent = 'Some notifications were missed while disconnected.';
    $('feed').prepend(item);
    return;
  }
  item.dataset.id = data.id;
  const topic = document.createElement('span');
  topic.className = 'topic';
  topic.textContent = data.topic;
  item.append(topic);
  if (data.event) {
    const eventName = document.createElement('span');
    eventName.className = 'event';
    eventName.textContent = data.event;
    item.append(eventName);
  }
  const body = document.createElement('code');
  body.textContent = JSON.stringify(data.data);
  item.append(body);
  $('feed').prepend(item);
  while ($('feed').children.length > 200) $('feed').lastElementChild.remove();
}

/**
 * The feed reads the stream with fetch rather than EventSource: EventSource cannot listen to
 * event names it does not know in advance, and cannot send an Authorization header.
 */
async function feedLoop(generation) {
  let attempt = 0;
  while (generation === feedGeneration) {
    try {
      const topics = $('topics').value.split(',').map((t) => t.trim()).filter(Boolean);
      const headers = { Accept: 'text/event-stream' };
      if (lastEventId) headers['Last-Event-ID'] = lastEventId;
      if (token()) headers.Authorization = 'Bearer ' + token();
      const url = 'api/events' + (topics.length ? '?topics=' + encodeURIComponent(topics.join(',')) : '');
      const response = await fetch(url, { headers, signal: feedAbort.signal });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      attempt = 0;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let event = { data: null };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (event.data !== null && event.data !== '') addNotification(event);
            event = { data: null };
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') event.id = val;
            else if (field === 'event') event.name = val;
            else if (field === 'data') event.data = event.data === null ? val : event.data + '\n' + val;
          }
        }
      }
    } catch (e) {
      if (e.name === 'AbortError') return;
    }
    await new Promise((r) => setTimeout(r, Math.min(10000, 500 * 2 ** attempt++)));
  }
}

let feedGeneration = 0;
let feedAbort = new AbortController();

function openFeed() {
  feedAbort.abort();
  feedAbort = new AbortController();
  feedLoop(++feedGeneration);
}

function wire() {
  $('filter-form').addEventListener('submit', (event) => {
    event.preventDefault();
    $('feed').replaceChildren();
    openFeed();
  });
  $('p-key').value = sessionStorage.getItem('switchboard.apiKey') || '';
  $('publish-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    let data;
    try {
      data = JSON.parse($('p-data').value);
    } catch {
      $('publish-result').textContent = 'Data must be valid JSON.';
      return;
    }
    const body = { topic: $('p-topic').value.trim(), data };
    if ($('p-event').value.trim()) body.event = $('p-event').value.trim();
    const key = $('p-key').value.trim() || token();
    if ($('p-key').value.trim()) sessionStorage.setItem('switchboard.apiKey', $('p-key').value.trim());
    const response = await fetch('api/notifications', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: 'Bearer ' + key } : {}) },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    $('publish-result').textContent = response.ok
      ? 'Published as #' + answer.id
      : response.status === 401 || response.status === 403
        ? 'This server needs an API key (or a publisher token) to publish.'
        : 'Not published: ' + (answer.message || response.status);
  });
}

wire();
stream('api/stats/stream', { stats: (e) => renderStats(JSON.parse(e.data)) }, () => setStatus('online', 'Live'));
openFeed();
