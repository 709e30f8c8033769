// The chat page: sign-in (guest name or token), rooms, messages, typing, presence.
// Text from the network is only ever put into the page with textContent.
import { ChatConnection } from './connection.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const TYPING_SHOWN_MS = 3000;
const TYPING_SENT_EVERY_MS = 2000;

const state = {
  user: null,
  token: sessionStorage.getItem('switchboard.token'),
  tokenMode: false,
  current: null,
  rooms: new Map(), // room -> { messages: [], lastShown, epoch, members: Map(name->true), unread, typing: Map }
  connection: null,
  lastTypingSent: 0,
  unacked: new Map(), // chat id -> { frame, attempts }: sent, not yet acknowledged
};

function wsBase() {
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;
}

function authHeaders() {
  return state.token ? { Authorization: 'Bearer ' + state.token } : {};
}

/**
 * A fresh token from the embedding page's hook, kept for the next ticket; null without a hook.
 * The hook is a function the page that embeds this chat defines before it loads:
 * window.switchboardGetToken = async () => '<a token of the same user>'.
 */
async function freshToken() {
  const hook = window.switchboardGetToken;
  if (typeof hook !== 'function') return null;
  const token = await hook();
  if (typeof token !== 'string' || !token) return null;
  state.token = token;
  sessionStorage.setItem('switchboard.token', token);
  return token;
}

/** The URL of the next connection attempt; in token mode each attempt gets a fresh ticket. */
async function nextUrl() {
  if (!state.tokenMode) {
    const name = state.user ? '?user=' + encodeURIComponent(state.user) : '';
    return wsBase() + '/ws/chat' + name;
  }
  if (state.tokenExpired) {
    // Closed with 4004: the token ended, so a ticket needs a new one.
    if (!(await freshToken())) {
      const error = new Error('Your session ended; sign in again.');
      error.code = 4004;
      error.final = true;
      throw error;
    }
    state.tokenExpired = false;
  }
  const response = await fetch('api/tickets', { method: 'POST', headers: authHeaders() });
  if (response.status === 401) {
    const error = new Error('Your token was refused; sign in again.');
    error.final = true;
    throw error;
  }
  if (!response.ok) throw new Error('Could not get a connect ticket (' + response.status + ')');
  const { ticket } = await response.json();
  return wsBase() + '/ws/chat?ticket=' + encodeURIComponent(ticket);
}

function setStatus(kind, text) {
  const status = $('status');
  status.dataset.state = kind;
  status.textContent = text;
}

function roomState(room) {
  if (!state.rooms.has(room)) {
    state.rooms.set(room, {
      messages: [], lastShown: 0, epoch: null, members: new Map(), unread: 0, typing: new Map(),
    });
  }
  return state.rooms.get(room);
}

/** How often a message the server could not take now is sent again before the page gives up. */
const MAX_RESENDS = 5;
/** The pace of messages sent again after "not now": the default rate (10 per second) and a bit. */
const HELD_BACK_SPACING_MS = 120;

const PLAIN_WORDS = {
  rate_limited: 'You are sending too fast. Wait a moment and try again.',
  unavailable: 'The server cannot store messages right now. Your message was not sent; try again shortly.',
  not_joined: 'You are not in that room any more.',
  forbidden: 'You are not allowed in that room.',
  bad_request: 'That message could not be sent.',
  internal: 'Something went wrong on the server.',
};

/** What the page says while it holds a message back to send it again by itself. */
const HELD_BACK = {
  rate_limited: 'You are sending too fast; your messages go out in a moment.',
  unavailable: 'The server cannot store messages right now; your message will be sent again shortly.',
};

function showError(text) {
  $('error').textContent = text;
  if (text) setTimeout(() => { if ($('error').textContent === text) $('error').textContent = ''; }, 6000);
}

function onFrame(frame) {
  switch (frame.type) {
    case 'welcome':
      state.user = frame.user;
      $('signin').hidden = true;
      $('app').hidden = false;
      break;
    case 'joined': {
      resendUnacked(frame.room);
      const room = roomState(frame.room);
      if (room.epoch && room.epoch !== frame.epoch) {
        room.lastShown = 0;
        room.messages = [];
        notice(frame.room, 'The history of this room was reset; earlier messages are gone.');
      } else if (frame.recovered === false) {
        notice(frame.room, 'You missed some messages while you were away; the latest ones are shown.');
      }
      room.epoch = frame.epoch;
      room.members = new Map(frame.members.map((m) => [m, true]));
      room.memberCount = frame.memberCount;
      if (!state.current) select(frame.room);
      renderRooms();
      if (state.current === frame.room) renderAll();
      break;
    }
    case 'chat': {
      const room = roomState(frame.room);
      if (frame.offset <= room.lastShown) return; // already on screen: exactly once
      room.lastShown = frame.offset;
      room.messages.push(frame);
      if (room.messages.length > 1000) room.messages.shift();
      room.typing.delete(frame.user);
      if (state.current === frame.room) {
        appendMessage(frame);
        renderTyping();
      } else {
        room.unread++;
        renderRooms();
      }
      break;
    }
    case 'typing': {
      const room = roomState(frame.room);
      room.typing.set(frame.user, Date.now());
      if (state.current === frame.room) renderTyping();
      setTimeout(renderTyping, TYPING_SHOWN_MS + 50);
      break;
    }
    case 'presence': {
      const room = roomState(frame.room);
      if (frame.event === 'join') room.members.set(frame.user, true);
      else room.members.delete(frame.user);
      if (state.current === frame.room) renderMembers();
      break;
    }
    case 'left':
      if (frame.reason === 'removed') showError('You were removed from #' + frame.room + '.');
      state.rooms.delete(frame.room);
      if (state.current === frame.room) select([...state.rooms.keys()][0] || null);
      renderRooms();
      break;
    case 'ack':
      state.unacked.delete(frame.id);
      break;
    case 'error':
      if (retryLater(frame)) {
        showError(HELD_BACK[frame.code]); // the user sees why it is slow; the page sends it again
        break;
      }
      if (frame.id) state.unacked.delete(frame.id);
      showError(PLAIN_WORDS[frame.code] || frame.message);
      break;
    default:
  }
}

/**
 * Sends a chat message and keeps it until its ack: it is sent again, with the same id, after an
 * `unavailable` or `rate_limited` answer and when its room is joined again after a reconnect. The
 * server takes a repeated id as the same message, so it is stored and shown once.
 */
function sendChat(room, text) {
  const frame = { type: 'chat', room, message: text, id: 'c-' + Date.now() + '-' + Math.random().toString(36).slice(2, 8) };
  state.unacked.set(frame.id, { frame, attempts: 0 });
  return state.connection.send(frame);
}

function resendUnacked(room) {
  for (const pending of state.unacked.values()) {
    if (pending.frame.room === room) state.connection.send(pending.frame);
  }
}

/** An answer that says "not now" to a kept message: sends it again later; false otherwise. */
function retryLater(frame) {
  const pending = frame.id && state.unacked.get(frame.id);
  if (!pending || !['unavailable', 'rate_limited'].includes(frame.code)) return false;
  if (++pending.attempts > MAX_RESENDS) {
    state.unacked.delete(frame.id);
    return false;
  }
  holdBack(pending, frame.retryAfterMs || 1000);
  return true;
}

/**
 * Messages the server said "not now" to wait in one line and go out one at a time, each after the
 * wait the server asked for: sent all at once, they would be refused again together (and a
 * connection refused too often is closed with 4008).
 */
const heldBack = [];
let heldBackTimer = null;
let heldBackSpacing = HELD_BACK_SPACING_MS;

function holdBack(pending, waitMs) {
  if (!heldBack.includes(pending)) heldBack.push(pending);
  heldBackSpacing = Math.max(HELD_BACK_SPACING_MS, waitMs);
  if (heldBackTimer === null) heldBackTimer = setTimeout(sendHeldBack, waitMs);
}

function sendHeldBack() {
  heldBackTimer = null;
  let pending;
  while ((pending = heldBack.shift()) && !state.unacked.has(pending.frame.id)) {
    // acked meanwhile (a resend after a reconnect): nothing to send
  }
  if (!pending) return;
  state.connection.send(pending.frame);
  if (heldBack.length > 0) heldBackTimer = setTimeout(sendHeldBack, heldBackSpacing);
}

function notice(room, text) {
  roomState(room).notice = text;
  if (state.current === room) renderNotice();
}

function onState(kind, detail) {
  if (kind === 'online') setStatus('online', 'Connected as ' + detail.user);
  else if (kind === 'connecting') setStatus('connecting', detail.attempt ? 'Reconnecting…' : 'Connecting…');
  else if (kind === 'offline') {
    if (detail.code === 4004) state.tokenExpired = true;
    setStatus('offline', reconnectReason(detail.code));
  }
  else if (kind === 'refused') refused(detail);
  $('message').disabled = kind !== 'online' || !state.current;
  $('send').disabled = $('message').disabled;
}

function reconnectReason(code) {
  if (code === 1012) return 'The server is restarting; reconnecting…';
  if (code === 4009) return 'The connection fell behind; reconnecting…';
  if (code === 4008) return 'Too many messages; reconnecting in a moment…';
  if (code === 4004) return 'Your session expired; reconnecting…';
  return 'Connection lost; reconnecting…';
}

function refused({ code, reason }) {
  setStatus('offline', 'Not connected');
  if (code === 4001) {
    state.tokenMode = true;
    showSignIn(state.token ? 'Your session ended; sign in again.' : '');
    return;
  }
  if (code === 4010) {
    showSignIn('You were disconnected by the service.');
    return;
  }
  if (code === 4004) {
    state.tokenExpired = false;
    showSignIn(reason);
    return;
  }
  if (code === 4002) {
    state.token = null;
    sessionStorage.removeItem('switchboard.token');
    showSignIn('Your token was refused; sign in again.');
    return;
  }
  showSignIn(code === 1008 ? 'That name cannot be used; pick another one.' : reason || 'Could not connect.');
}

function showSignIn(error) {
  state.connection?.stop();
  $('app').hidden = true;
  $('signin').hidden = false;
  $('guest-form').hidden = state.tokenMode;
  $('token-form').hidden = !state.tokenMode;
  $('signin-error').textContent = error || '';
  (state.tokenMode ? $('token') : $('name')).focus();
}

function connect() {
  state.connection?.stop();
  state.connection = new ChatConnection({
    url: nextUrl,
    onFrame,
    onState,
    getToken: state.tokenMode ? freshToken : undefined,
  });
  for (const room of state.rooms.keys()) state.connection.rooms.set(room, {});
  state.connection.start();
  refreshRoomList();
}

function join(room) {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(room)) {
    showError('Room names use letters, digits, "-", "_" and "." (up to 64).');
    return;
  }
  roomState(room);
  state.connection.join(room);
  select(room);
}

function select(room) {
  state.current = room;
  if (room) roomState(room).unread = 0;
  $('room-title').textContent = room ? '#' + room : 'No room yet';
  $('leave').hidden = !room;
  $('message').disabled = !room || !state.connection?.online;
  $('send').disabled = $('message').disabled;
  renderRooms();
  renderAll();
  if (room) $('message').focus();
}

function renderAll() {
  const list = $('messages');
  list.replaceChildren();
  const room = state.current && state.rooms.get(state.current);
  if (room) room.messages.forEach(appendMessage);
  renderMembers();
  renderTyping();
  renderNotice();
}

function appendMessage(message) {
  const item = document.createElement('li');
  item.dataset.offset = message.offset;
  const time = document.createElement('time');
  time.className = 'meta';
  time.dateTime = new Date(message.timestamp).toISOString();
  time.textContent = new Date(message.timestamp).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const author = document.createElement('span');
  author.className = 'author';
  author.textContent = message.user;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = message.message;
  item.append(time, author, text);
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.append(item);
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function renderMembers() {
  const list = $('member-list');
  list.replaceChildren();
  const room = state.current && state.rooms.get(state.current);
  if (!room) return;
  for (const name of [...room.members.keys()].sort()) {
    const item = document.createElement('li');
    item.textContent = name;
    list.append(item);
  }
}

function renderTyping() {
  const room = state.current && state.rooms.get(state.current);
  const now = Date.now();
  const names = room ? [...room.typing].filter(([, at]) => now - at < TYPING_SHOWN_MS).map(([n]) => n) : [];
  $('typing').textContent =
    names.length === 0 ? '' : names.length === 1 ? names[0] + ' is typing…' : names.join(', ') + ' are typing…';
}

function renderNotice() {
  const room = state.current && state.rooms.get(state.current);
  $('notice').hidden = !room || !room.notice;
  $('notice').textContent = room?.notice || '';
}

function renderRooms() {
  const list = $('joined-rooms');
  list.replaceChildren();
  for (const [name, room] of state.rooms) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('aria-current', String(name === state.current));
    const label = document.createElement('span');
    label.textContent = '#' + name;
    button.append(label);
    if (room.unread) {
      const badge = document.createElement('span');
      badge.className = 'unread';
      badge.textContent = String(room.unread);
      badge.setAttribute('aria-label', room.unread + ' unread');
      button.append(badge);
    }
    button.addEventListener('click', () => select(name));
    item.append(button);
    list.append(item);
  }
}

async function refreshRoomList() {
  try {
    const response = await fetch('api/rooms', { headers: authHeaders() });
    if (!response.ok) return;
    const rooms = await response.json();
    const list = $('all-rooms');
    list.replaceChildren();
    for (const room of rooms) {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      const name = document.createElement('span');
      name.textContent = '#' + room.room;
      const count = document.createElement('span');
      count.className = 'count';
      count.textContent = room.members + (room.members === 1 ? ' member' : ' members');
      button.append(name, count);
      button.addEventListener('click', () => join(room.room));
      item.append(button);
      list.append(item);
    }
  } catch {
    // the list is a convenience; the chat works without it
  }
}

function wire() {
  $('guest-form').addEventListener('submit', (event) => {
    event.preventDefault();
    state.user = $('name').value.trim();
    localStorage.setItem('switchboard.name', state.user);
    connect();
  });
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    state.token = $('token').value.trim();
    sessionStorage.setItem('switchboard.token', state.token);
    connect();
  });
  $('join-form').addEventListener('submit', (event) => {
    event.preventDefault();
    join($('join-room').value.trim());
    $('join-room').value = '';
  });
  $('leave').addEventListener('click', () => {
    if (state.current) state.connection.leave(state.current);
  });
  $('send-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('message').value;
    if (!text.trim() || !state.current) return;
    const sent = sendChat(state.current, text);
    $('message').value = '';
    if (!sent) showError('Not connected; your message is kept and goes out when the connection is back.');
  });
  $('message').addEventListener('input', () => {
    const now = Date.now();
    if (state.current && now - state.lastTypingSent > TYPING_SENT_EVERY_MS) {
      state.lastTypingSent = now;
      state.connection.send({ type: 'typing', room: state.current });
    }
  });
  setInterval(refreshRoomList, 10000);
}

function start() {
  wire();
  for (const room of params.getAll('room')) {
    if (/^[A-Za-z0-9_.-]{1,64}$/.test(room)) roomState(room);
  }
  const user = params.get('user');
  if (user || state.token) {
    state.user = user;
    state.tokenMode = Boolean(state.token);
    connect();
    const first = [...state.rooms.keys()][0];
    if (first) select(first);
  } else {
    $('name').value = localStorage.getItem('switchboard.name') || '';
    showSignIn('');
  }
}

start();
