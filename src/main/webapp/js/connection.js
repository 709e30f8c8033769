// One WebSocket to /ws/chat that survives drops: it reconnects with exponential backoff and
// jitter, and resumes every joined room from the last offset seen (since + epoch), so the page
// shows every message exactly once, in order.

const BACKOFF_START_MS = 500;
const BACKOFF_CAP_MS = 10000;
const WELCOME_WITHIN_MS = 10000;

/** Close codes after which reconnecting cannot help without the user. */
const FINAL = new Set([4001, 4002, 4010, 1008]);

export class ChatConnection {
  /**
   * @param {object} options
   * @param {() => Promise<string>} options.url  makes the URL of the next attempt (a fresh ticket)
   * @param {(frame: object) => void} options.onFrame  every frame from the server
   * @param {(state: string, detail?: object) => void} options.onState  connecting, online, offline, refused
   * @param {() => Promise<string|null>} [options.getToken]  a fresh token when the server says
   *     expiring (null: none to be had; the connection then ends with 4004 and reconnects)
   */
  constructor({ url, onFrame, onState, getToken }) {
    this.url = url;
    this.getToken = getToken;
    this.refreshes = 0;
    this.onFrame = onFrame;
    this.onState = onState;
    this.rooms = new Map(); // room -> { since, epoch, history }
    this.socket = null;
    this.attempt = 0;
    this.stopped = false;
    this.timer = null;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.socket) {
      this.socket.close(1000, 'bye');
    }
  }

  async open() {
    clearTimeout(this.timer);
    this.onState('connecting', { attempt: this.attempt });
    let url;
    try {
      url = await this.url();
    } catch (e) {
      this.onState('refused', { code: e.code || 0, reason: e.message });
      if (!e.final) this.retry();
      return;
    }
    const socket = new WebSocket(url);
    this.socket = socket;
    // A connection that never says welcome is as good as dead: try again.
    const silence = setTimeout(() => {
      if (this.socket === socket && !socket.welcomed) socket.close();
    }, WELCOME_WITHIN_MS);
    socket.onmessage = (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type === 'welcome') {
        socket.welcomed = true;
        clearTimeout(silence);
        this.attempt = 0;
        this.onState('online', frame);
        this.resume();
      }
      if (frame.type === 'expiring') this.refresh(socket);
      if (frame.type === 'left') this.rooms.delete(frame.room); // also when the server took us out
      if (frame.type === 'chat' && frame.offset) {
        const room = this.rooms.get(frame.room);
        if (room) room.since = Math.max(room.since || 0, frame.offset);
      }
      if (frame.type === 'joined') {
        const room = this.rooms.get(frame.room);
        if (room) {
          const otherEpoch = room.epoch !== undefined && room.epoch !== frame.epoch;
          if (room.since === undefined || frame.recovered === false || otherEpoch) {
            room.since = frame.offset;
          }
          room.epoch = frame.epoch;
        }
      }
      this.onFrame(frame);
    };
    socket.onclose = (event) => {
      clearTimeout(silence);
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      if (FINAL.has(event.code)) {
        this.onState('refused', { code: event.code, reason: event.reason });
        return;
      }
      this.onState('offline', { code: event.code, reason: event.reason });
      this.retry(event.code === 4008 ? 5000 : 0);
    };
  }

  /** The token ends soon: sends a fresh one, if the page can get one, on the same socket. */
  async refresh(socket) {
    if (!this.getToken || socket.refreshing) return;
    socket.refreshing = true;
    try {
      const token = await this.getToken();
      if (token && this.socket === socket) {
        this.send({ type: 'refresh', token, id: 'refresh-' + ++this.refreshes });
      }
    } catch {
      // no token to be had: the server closes with 4004 and the next attempt asks again
    } finally {
      socket.refreshing = false;
    }
  }

  /** Waits (exponential, capped, with jitter) and reconnects. */
  retry(floorMs = 0) {
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_START_MS * 2 ** this.attempt);
    const delay = Math.max(floorMs, ceiling / 2 + Math.random() * (ceiling / 2));
    this.attempt++;
    this.timer = setTimeout(() => this.open(), delay);
  }

  /** After (re)connecting: joins every room again, from where this page left it. */
  resume() {
    for (const [room, state] of this.rooms) {
      const join = { type: 'join', room };
      if (state.since !== undefined) {
        join.since = state.since;
        if (state.epoch) join.epoch = state.epoch;
      }
      this.send(join);
    }
  }

  join(room) {
    if (!this.rooms.has(room)) this.rooms.set(room, {});
    this.send({ type: 'join', room });
  }

  leave(room) {
    this.rooms.delete(room);
    this.send({ type: 'leave', room });
  }

  send(frame) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  get online() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }
}
