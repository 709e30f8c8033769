// Socket.IO 4 doing what the benchmark asks of Switchboard: clients join a room (acknowledged), a
// message sent to a room reaches every member. WebSocket transport only, no compression.
const { createServer } = require('http');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || 3000);
const httpServer = createServer();
const io = new Server(httpServer, {
  transports: ['websocket'],
  perMessageDeflate: false,
  serveClient: false,
});

io.on('connection', (socket) => {
  socket.on('join', (room, ack) => {
    socket.join(room);
    if (typeof ack === 'function') ack();
  });
  socket.on('chat', (room, message) => io.to(room).emit('chat', message));
});

httpServer.listen(port, '127.0.0.1', () => console.log('socket.io listening on ' + port));
