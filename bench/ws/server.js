// The raw `ws` peer: the practical single-thread ceiling for what the benchmark asks. A client
// connects to /<room>; every text frame it sends is written to every socket of that room (the
// sender included). No protocol, no JSON, no history.
'use strict';
const path = require('path');
const { WebSocketServer } = require(path.join(__dirname, '..', 'socketio', 'node_modules', 'ws'));

const port = Number(process.argv[2] || 3001);
const rooms = new Map();
const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });

server.on('connection', (socket, request) => {
  const room = request.url;
  let members = rooms.get(room);
  if (!members) rooms.set(room, (members = new Set()));
  members.add(socket);
  socket.on('message', (data, isBinary) => {
    for (const member of members) member.send(data, { binary: isBinary });
  });
  socket.on('close', () => {
    members.delete(socket);
    if (members.size === 0) rooms.delete(room);
  });
});

server.on('listening', () => console.log('ws listening on ' + port));
