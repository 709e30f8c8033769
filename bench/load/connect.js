// An independent load generator for the connect path: opens <count> idle members (each its own
// user, rooms of 10) at up to <rate> connects per second, reports the rate reached and the connect
// latency (handshake to `joined`), then, with `storm`, drops every socket at once and reconnects
// them all at the same moment with `since`/`epoch`, as the clients of a lost node do, and reports
// how long until every room is resumed with `recovered:true`.
//
//   node connect.js <switchboard|socketio|ws> <base http url> <count> <rate> [storm]
//
// A refused handshake (503 past the server's connection-rate limit, or a refused TCP connect) is
// retried after the Retry-After the server gave, or after a backoff with full jitter (250 ms
// doubling to 5 s), which is what the chat page does; a member that is still not in after 60 s
// is given up. Progress goes to stderr, one JSON line with the result to stdout.
'use strict';
const path = require('path');
const WebSocket = require(path.join(__dirname, '..', 'socketio', 'node_modules', 'ws'));

const [target, base, countArg, rateArg, mode] = process.argv.slice(2);
const count = Number(countArg);
const rate = Number(rateArg);
const storm = mode === 'storm';
const PER_ROOM = 10;
const GIVE_UP_MS = 60000;
const wsBase = base.replace(/^http/, 'ws').replace(/\/$/, '');
const prefix = 'nconnect-' + Date.now() + '-';

function log(text) {
  process.stderr.write('[connect.js] ' + text + '\n');
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const protocols = {
  switchboard: {
    url: (room, user, resume) =>
      `${wsBase}/ws/chat/${room}?history=0&user=${user}` +
      (resume ? `&since=${resume.offset}&epoch=${resume.epoch}` : ''),
    // Resolves with what a resume needs, or null while not joined yet.
    joined(socket, text) {
      if (!text.startsWith('{"type":"joined"')) return null;
      const joined = JSON.parse(text);
      return { offset: joined.offset, epoch: joined.epoch, recovered: joined.recovered };
    },
  },
  socketio: {
    url: () => `${wsBase}/socket.io/?EIO=4&transport=websocket`,
    joined(socket, text, room) {
      if (text.startsWith('0')) socket.send('40');
      else if (text.startsWith('40')) socket.send(`421["join","${room}"]`);
      else if (text.startsWith('431')) return { recovered: true };
      return null;
    },
  },
  ws: {
    url: (room) => `${wsBase}/${room}`,
    opened: true,
  },
};
const protocol = protocols[target];
if (!protocol) {
  log('unknown target ' + target);
  process.exit(2);
}

const stats = { refused: 0, retryAfter: 0, failed: 0, givenUp: 0, notRecovered: 0, closed: 0 };

/** One attempt: resolves with the socket and its joined state, rejects with the retry delay. */
function attempt(room, user, resume) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(protocol.url(room, user, resume), { perMessageDeflate: false });
    let done = false;
    const finish = (state) => {
      if (done) return;
      done = true;
      resolve({ socket, state });
    };
    socket.on('unexpected-response', (request, response) => {
      const after = Number(response.headers['retry-after']);
      stats.refused++;
      if (after > 0) stats.retryAfter++;
      response.resume();
      socket.terminate();
      if (!done) {
        done = true;
        reject({ after: after > 0 ? after * 1000 : 0 });
      }
    });
    socket.on('open', () => {
      if (protocol.opened) finish({ recovered: true });
    });
    socket.on('message', (data) => {
      if (done) return;
      const state = protocol.joined(socket, data.toString(), room);
      if (state) finish(state);
    });
    socket.on('error', () => {
      if (!done) {
        done = true;
        stats.failed++;
        reject({ after: 0 });
      }
    });
    socket.on('close', (code) => {
      if (!done) {
        done = true;
        stats.failed++;
        reject({ after: 0 });
      } else if (code !== 1000 && code !== 1005 && code !== 1006) {
        stats.closed++;
      }
    });
  });
}

/** Connects one member, retrying as a client would; resolves with the time it took in ms. */
async function connect(member, resume) {
  const started = performance.now();
  let backoff = 250;
  for (;;) {
    try {
      const { socket, state } = await attempt(member.room, member.user, resume);
      member.socket = socket;
      member.state = state;
      return performance.now() - started;
    } catch (refusal) {
      if (performance.now() - started > GIVE_UP_MS) {
        stats.givenUp++;
        return -1;
      }
      const wait = refusal.after > 0 ? refusal.after * (0.5 + Math.random()) : Math.random() * backoff;
      backoff = Math.min(5000, backoff * 2);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** Opens every member at up to `perSecond` starts per second; returns connect latencies. */
async function openAll(members, perSecond, resumeOf) {
  const latencies = [];
  const started = performance.now();
  const pending = [];
  for (let i = 0; i < members.length; i++) {
    if (Number.isFinite(perSecond)) {
      const due = started + (i * 1000) / perSecond;
      const now = performance.now();
      if (due > now + 1) await new Promise((r) => setTimeout(r, due - now));
    }
    pending.push(connect(members[i], resumeOf(members[i])).then((ms) => ms >= 0 && latencies.push(ms)));
  }
  await Promise.all(pending);
  return { seconds: (performance.now() - started) / 1000, latencies: Float64Array.from(latencies).sort() };
}

async function main() {
  const members = [];
  for (let i = 0; i < count; i++) {
    members.push({ room: prefix + Math.floor(i / PER_ROOM), user: 'c' + i });
  }
  log('measuring'); // the markers the benchmark samples the server's CPU time at
  const opened = await openAll(members, rate > 0 ? rate : Infinity, () => null);
  log('measured');
  const connected = members.filter((m) => m.socket).length;
  log(`${connected} of ${count} connected in ${opened.seconds.toFixed(1)} s`);
  const result = {
    target,
    count,
    rate,
    connected,
    connectSeconds: opened.seconds,
    connectsPerSecond: connected / opened.seconds,
    connectP50: percentile(opened.latencies, 50),
    connectP99: percentile(opened.latencies, 99),
    connectMax: percentile(opened.latencies, 100),
  };
  if (storm) {
    await new Promise((r) => setTimeout(r, 2000));
    log('storm');
    log('measuring');
    for (const m of members) m.socket && m.socket.terminate();
    for (const m of members) m.socket = null;
    const stormed = await openAll(members, Infinity, (m) =>
      m.state && m.state.epoch ? { offset: m.state.offset, epoch: m.state.epoch } : null,
    );
    log('measured');
    stats.notRecovered = members.filter((m) => !m.state || m.state.recovered !== true).length;
    result.stormSeconds = stormed.seconds;
    result.stormResumed = members.filter((m) => m.socket && m.state && m.state.recovered === true).length;
    result.stormP50 = percentile(stormed.latencies, 50);
    result.stormP99 = percentile(stormed.latencies, 99);
    log(`storm: ${result.stormResumed} of ${count} resumed in ${stormed.seconds.toFixed(1)} s`);
  }
  Object.assign(result, stats);
  process.stdout.write(JSON.stringify(result) + '\n');
  for (const m of members) m.socket && m.socket.terminate();
  process.exit(0);
}

main().catch((e) => {
  log('failed: ' + e.stack);
  process.exit(1);
});
