// An independent load generator for the chatty case, written the way a user would test a chat
// server: every member is its own `ws` client and its own user, and sends on its own timer (a
// random phase), 64-character messages, into its own small room. Speaks Switchboard's protocol,
// Socket.IO's (engine.io v4 over a raw WebSocket) and the raw `ws` peer's (a text frame is a
// message to the room of the URL's path).
//
//   node chatty.js <switchboard|socketio|ws> <base http url> <rooms> <perRoom> <msgPerSecPerMember>
//                  <warmupSeconds> <seconds> [sendersPerRoom]
//
// With sendersPerRoom (default: every member), only that many members of each room send: one
// room of 1000 with 1 sender at 20 msg/s is the fan-out case at a fixed rate.
//
// Progress goes to stderr; one JSON line with the result goes to stdout. Latency is from the
// sender's send to each receiver's receipt (one process, one clock); a message counts when it
// was sent inside the measured window, and is owed to every member of its room, the sender
// included.
'use strict';
const path = require('path');
const WebSocket = require(path.join(__dirname, '..', 'socketio', 'node_modules', 'ws'));

const [target, base, roomsArg, perRoomArg, rateArg, warmupArg, secondsArg, sendersArg] =
  process.argv.slice(2);
const rooms = Number(roomsArg);
const perRoom = Number(perRoomArg);
const rate = Number(rateArg);
const warmup = Number(warmupArg) * 1000;
const seconds = Number(secondsArg) * 1000;
const senders = sendersArg ? Number(sendersArg) : perRoom;
const wsBase = base.replace(/^http/, 'ws').replace(/\/$/, '');
const prefix = 'nchatty-' + Date.now() + '-';
const PAD = 'x'.repeat(64);

let measureFrom = Infinity;
let measureTo = Infinity;
let sent = 0;
let received = 0;
let closedByServer = 0;
const errors = {};
const latencies = [];
const connectMillis = [];

function log(text) {
  process.stderr.write('[chatty.js] ' + text + '\n');
}

/** A 64-character message carrying its send time. */
function payload(now) {
  const stamp = 't' + now.toFixed(3) + '|';
  return stamp + PAD.substring(stamp.length);
}

function onMessage(text) {
  const t = text.indexOf('t');
  if (t < 0) return;
  const bar = text.indexOf('|', t);
  const stamp = Number(text.substring(t + 1, bar));
  if (!(stamp >= measureFrom && stamp < measureTo)) return;
  received++;
  latencies.push(performance.now() - stamp);
}

const protocols = {
  switchboard: {
    url: (room, user) => `${wsBase}/ws/chat/${room}?history=0&user=${user}`,
    ready(socket, text) {
      return text.includes('"type":"joined"');
    },
    send(socket, room, message) {
      socket.send(`{"type":"chat","room":"${room}","message":"${message}"}`);
    },
    receive(socket, text) {
      if (text.startsWith('{"type":"chat"')) {
        const at = text.indexOf('"message":"') + 11;
        onMessage(text.substring(at, at + 64));
      } else if (text.startsWith('{"type":"error"')) {
        const code = /"code":"([^"]+)"/.exec(text);
        errors[code ? code[1] : 'error'] = (errors[code ? code[1] : 'error'] || 0) + 1;
      }
    },
  },
  socketio: {
    url: () => `${wsBase}/socket.io/?EIO=4&transport=websocket`,
    ready(socket, text, room) {
      if (text.startsWith('0')) {
        socket.send('40');
      } else if (text.startsWith('40')) {
        socket.send(`421["join","${room}"]`);
      } else if (text.startsWith('431')) {
        return true;
      }
      return false;
    },
    send(socket, room, message) {
      socket.send(`42["chat","${room}","${message}"]`);
    },
    receive(socket, text) {
      if (text === '2') {
        socket.send('3');
      } else if (text.startsWith('42["chat"')) {
        onMessage(text.substring(10, 74));
      }
    },
  },
  ws: {
    url: (room) => `${wsBase}/${room}`,
    ready: () => true,
    send(socket, room, message) {
      socket.send(message);
    },
    receive(socket, text) {
      onMessage(text);
    },
  },
};

const protocol = protocols[target];
if (!protocol) {
  log('unknown target ' + target);
  process.exit(2);
}

/** Opens one member: resolves once it is in its room. */
function open(index) {
  const room = prefix + Math.floor(index / perRoom);
  const user = 'n' + index;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(protocol.url(room, user), { perMessageDeflate: false });
    let ready = false;
    socket.on('open', () => {
      if (protocol.ready(socket, '', room) && !ready) {
        ready = true;
        connectMillis.push(performance.now() - started);
        resolve({ socket, room });
      }
    });
    socket.on('message', (data) => {
      const text = data.toString();
      if (!ready) {
        if (protocol.ready(socket, text, room)) {
          ready = true;
          connectMillis.push(performance.now() - started);
          resolve({ socket, room });
        }
        return;
      }
      protocol.receive(socket, text);
    });
    socket.on('close', (code) => {
      if (!ready) {
        reject(new Error('closed before ready: ' + code));
      } else if (code !== 1000 && code !== 1005) {
        closedByServer++;
      }
    });
    socket.on('error', (e) => {
      if (!ready) reject(e);
    });
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const total = rooms * perRoom;
  const members = new Array(total);
  const connectStart = performance.now();
  let next = 0;
  const workers = [];
  for (let w = 0; w < 100; w++) {
    workers.push(
      (async () => {
        while (next < total) {
          const index = next++;
          members[index] = await open(index);
        }
      })(),
    );
  }
  await Promise.all(workers);
  const connectSeconds = (performance.now() - connectStart) / 1000;
  log(`${total} members in ${rooms} rooms connected in ${connectSeconds.toFixed(1)} s`);

  const period = 1000 / rate;
  const start = performance.now();
  measureFrom = start + warmup;
  measureTo = measureFrom + seconds;
  // The markers the benchmark samples the server's CPU time at.
  setTimeout(() => log('measuring'), warmup);
  setTimeout(() => log('measured'), warmup + seconds);
  for (const [index, member] of members.entries()) {
    if (index % perRoom >= senders) continue;
    setTimeout(() => {
      const send = () => {
        const now = performance.now();
        if (now >= measureTo) {
          clearInterval(interval);
          return;
        }
        protocol.send(member.socket, member.room, payload(now));
        if (now >= measureFrom) sent++;
      };
      const interval = setInterval(send, period);
      send();
    }, Math.random() * period);
  }
  await new Promise((r) => setTimeout(r, warmup + seconds + 5000));
  const sorted = Float64Array.from(latencies).sort();
  const connects = Float64Array.from(connectMillis).sort();
  const result = {
    target,
    rooms,
    perRoom,
    senders,
    rate,
    members: total,
    sent,
    expected: sent * perRoom,
    received,
    deliveriesPerSecond: received / (seconds / 1000),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : 0,
    connectSeconds,
    connectP99: percentile(connects, 99),
    closedByServer,
    errors,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  members.forEach((m) => m.socket.terminate());
  process.exit(0);
}

main().catch((e) => {
  log('failed: ' + e.stack);
  process.exit(1);
});
