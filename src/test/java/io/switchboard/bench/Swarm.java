package io.switchboard.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The load tool's client: many WebSocket or SSE connections read by one selector thread, with no
 * thread hand-off, allocation or decoding per frame beyond what the benchmark looks at.
 *
 * <p>Why not the JDK's {@code HttpClient}: it hands every read to an executor; with a thousand
 * connections each getting one small frame per message, that hand-off made the client, not the
 * server, the bottleneck (the first runs measured the client at ~35k frames/s on its core).
 */
final class Swarm implements AutoCloseable {

  /** What a connection receives, called on the selector thread; must not block. */
  interface Handler {
    /**
     * A complete text message (WebSocket) or line (SSE, without its line end); the buffer is valid
     * only during the call.
     */
    void onText(Connection connection, ByteBuffer payload);

    /** The connection ended: the server's close code, or 1006 when the socket just closed. */
    default void onClose(int code) {}
  }

  private final Selector selector;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(1 << 18);
  private final Thread thread;
  private volatile boolean running = true;

  Swarm() throws IOException {
    selector = Selector.open();
    thread = new Thread(this::loop, "swarm-selector");
    thread.setDaemon(true);
    thread.start();
  }

  /** Opens a WebSocket (the handshake blocks the caller); frames go to {@code handler}. */
  Connection websocket(URI uri, Handler handler) throws IOException {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    return open(
        uri,
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(nonce)
            + "\r\n",
        101,
        true,
        handler);
  }

  /** Opens an SSE stream (GET); every line of the body goes to {@code handler}. */
  Connection sse(URI uri, Handler handler) throws IOException {
    return open(uri, "Accept: text/event-stream\r\n", 200, false, handler);
  }

  private Connection open(URI uri, String headers, int status, boolean websocket, Handler handler)
      throws IOException {
    int port = uri.getPort();
    SocketChannel channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), port));
    try {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: "
              + uri.getHost()
              + ":"
              + port
              + "\r\n"
              + headers
              + "\r\n";
      ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
      while (out.hasRemaining()) {
        channel.write(out);
      }
      ByteBuffer in = ByteBuffer.allocate(16384);
      int end;
      while ((end = headerEnd(in)) < 0) {
        if (!in.hasRemaining() || channel.read(in) < 0) {
          throw new IOException("no HTTP response from " + uri);
        }
      }
      String head = new String(in.array(), 0, end, StandardCharsets.ISO_8859_1);
      String statusLine = head.substring(0, head.indexOf('\r'));
      if (!statusLine.startsWith("HTTP/1.1 " + status)) {
        throw new IOException(uri + " answered " + statusLine);
      }
      Connection connection = new Connection(channel, handler, websocket);
      connection.chunked =
          head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked") && !websocket;
      ByteBuffer rest = ByteBuffer.wrap(in.array(), end, in.position() - end);
      if (rest.hasRemaining()) {
        connection.carry = ByteBuffer.allocate(Math.max(4096, rest.remaining())).put(rest);
      }
      channel.configureBlocking(false);
      execute(
          () -> {
            try {
              connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
              if (connection.carry != null) {
                connection.consume(ByteBuffer.allocate(0));
              }
            } catch (ClosedChannelException e) {
              connection.ended(1006);
            }
          });
      return connection;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The index just past the blank line that ends the response head, or -1. */
  private static int headerEnd(ByteBuffer in) {
    byte[] bytes = in.array();
    for (int i = 3; i < in.position(); i++) {
      if (bytes[i] == '\n'
          && bytes[i - 1] == '\r'
          && bytes[i - 2] == '\n'
          && bytes[i - 3] == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  private void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  private void loop() {
    while (running) {
      try {
        selector.select(100);
        Runnable task;
        while ((task = tasks.poll()) != null) {
          task.run();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          Connection connection = (Connection) key.attachment();
          if (!key.isValid()) {
            connection.ended(1006);
            continue;
          }
          if (key.isWritable()) {
            connection.flush();
          }
          if (key.isValid() && key.isReadable()) {
            read(connection);
          }
        }
        selector.selectedKeys().clear();
      } catch (IOException | RuntimeException e) {
        Bench.progress("client selector: %s", e);
      }
    }
  }

  private void read(Connection connection) {
    readBuffer.clear();
    int read;
    try {
      read = connection.channel.read(readBuffer);
    } catch (IOException e) {
      read = -1;
    }
    if (read < 0) {
      connection.ended(1006);
      return;
    }
    readBuffer.flip();
    connection.consume(readBuffer);
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    for (SelectionKey key : selector.keys()) {
      ((Connection) key.attachment()).abort();
    }
  }

  /** One connection of the swarm. */
  final class Connection {
    private final SocketChannel channel;
    private final Handler handler;
    private final boolean websocket;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private SelectionKey key;
    private volatile boolean ended;

    /** Received bytes not yet parsed (a frame or line cut by the read); selector thread only. */
    private ByteBuffer carry;

    /** A fragmented WebSocket message being put together; selector thread only. */
    private ByteBuffer fragments;

    /** SSE over chunked encoding: bytes left in the current chunk (-1: a size line is next). */
    private boolean chunked;

    private long chunkLeft = -1;

    /** SSE: the line being read. */
    private ByteBuffer line;

    private Connection(SocketChannel channel, Handler handler, boolean websocket) {
      this.channel = channel;
      this.handler = handler;
      this.websocket = websocket;
    }

    /** Sends a text frame; any thread. */
    void send(String text) {
      sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a frame, masked with a zero key (allowed; the server unmasks it to the same bytes). */
    private synchronized void sendFrame(int opcode, byte[] payload) {
      if (ended) {
        throw new IllegalStateException("connection closed");
      }
      int length = payload.length;
      int header = length < 126 ? 6 : length < 65536 ? 8 : 14;
      ByteBuffer frame = ByteBuffer.allocate(header + length);
      frame.put((byte) (0x80 | opcode));
      if (length < 126) {
        frame.put((byte) (0x80 | length));
      } else if (length < 65536) {
        frame.put((byte) (0x80 | 126)).putShort((short) length);
      } else {
        frame.put((byte) (0x80 | 127)).putLong(length);
      }
      frame.putInt(0).put(payload).flip();
      try {
        if (pending.isEmpty()) {
          channel.write(frame);
          if (!frame.hasRemaining()) {
            return;
          }
        }
        pending.add(frame);
        if (pending.size() == 1) {
          execute(
              () -> {
                if (key != null && key.isValid()) {
                  key.interestOpsOr(SelectionKey.OP_WRITE);
                }
              });
        }
      } catch (IOException e) {
        abort();
        throw new IllegalStateException("send failed", e);
      }
    }

    private synchronized void flush() {
      try {
        while (!pending.isEmpty()) {
          ByteBuffer frame = pending.peek();
          channel.write(frame);
          if (frame.hasRemaining()) {
            return;
          }
          pending.poll();
        }
        key.interestOps(SelectionKey.OP_READ);
      } catch (IOException e) {
        ended(1006);
      }
    }

    /** Closes the socket at once, without a close handshake. */
    void abort() {
      ended = true;
      try {
        channel.close();
      } catch (IOException e) {
        // closed anyway
      }
    }

    private void ended(int code) {
      if (!ended) {
        ended = true;
        handler.onClose(code);
      }
      try {
        channel.close();
      } catch (IOException e) {
        // closed anyway
      }
    }

    /** Parses what was read (after what was left over from the last read). */
    private void consume(ByteBuffer read) {
      ByteBuffer input = read;
      if (carry != null && carry.position() > 0) {
        if (carry.remaining() < read.remaining()) {
          ByteBuffer bigger = ByteBuffer.allocate((carry.position() + read.remaining()) * 2);
          carry.flip();
          carry = bigger.put(carry);
        }
        carry.put(read).flip();
        input = carry;
      }
      if (websocket) {
        frames(input);
      } else {
        body(input);
      }
      if (input == carry) {
        carry.compact();
      } else if (input.hasRemaining()) {
        if (carry == null || carry.capacity() < input.remaining()) {
          carry = ByteBuffer.allocate(Math.max(4096, input.remaining() * 2));
        }
        carry.clear();
        carry.put(input);
      }
    }

    /** Handles every complete WebSocket frame in {@code in}; leaves a partial one. */
    private void frames(ByteBuffer in) {
      while (!ended && in.remaining() >= 2) {
        int at = in.position();
        int first = in.get(at) & 0xff;
        int second = in.get(at + 1) & 0xff;
        long length = second & 0x7f;
        int header = 2;
        if (length == 126) {
          if (in.remaining() < 4) {
            return;
          }
          length = in.getShort(at + 2) & 0xffff;
          header = 4;
        } else if (length == 127) {
          if (in.remaining() < 10) {
            return;
          }
          length = in.getLong(at + 2);
          header = 10;
        }
        if (in.remaining() < header + length) {
          return;
        }
        ByteBuffer payload = in.duplicate();
        payload.position(at + header).limit(at + header + (int) length);
        in.position(at + header + (int) length);
        frame(first & 0x0f, (first & 0x80) != 0, payload);
      }
    }

    private void frame(int opcode, boolean last, ByteBuffer payload) {
      switch (opcode) {
        case 0x0, 0x1, 0x2 -> {
          if (last && fragments == null) {
            handler.onText(this, payload);
            return;
          }
          if (fragments == null) {
            fragments = ByteBuffer.allocate(Math.max(8192, payload.remaining() * 2));
          } else if (fragments.remaining() < payload.remaining()) {
            ByteBuffer bigger =
                ByteBuffer.allocate((fragments.position() + payload.remaining()) * 2);
            fragments.flip();
            fragments = bigger.put(fragments);
          }
          fragments.put(payload);
          if (last) {
            ByteBuffer whole = fragments.flip();
            fragments = null;
            handler.onText(this, whole);
          }
        }
        case 0x8 -> ended(payload.remaining() >= 2 ? payload.getShort() & 0xffff : 1005);
        case 0x9 -> {
          byte[] data = new byte[payload.remaining()];
          payload.get(data);
          try {
            sendFrame(0xA, data);
          } catch (IllegalStateException e) {
            // closing
          }
        }
        default -> {
          // pong: nothing to do
        }
      }
    }

    /** Feeds an HTTP body (chunked or not) into lines. */
    private void body(ByteBuffer in) {
      while (!ended && in.hasRemaining()) {
        if (chunked && chunkLeft <= 0) {
          int newline = indexOf(in, (byte) '\n');
          if (newline < 0) {
            return;
          }
          String size =
              StandardCharsets.US_ASCII
                  .decode(in.duplicate().limit(newline).position(in.position()))
                  .toString()
                  .trim();
          in.position(newline + 1);
          if (size.isEmpty()) {
            continue; // the line end after a chunk's data
          }
          int extension = size.indexOf(';');
          chunkLeft = Long.parseLong(extension < 0 ? size : size.substring(0, extension), 16);
          if (chunkLeft == 0) {
            ended(1000); // the stream ended
            return;
          }
          continue;
        }
        int take = chunked ? (int) Math.min(chunkLeft, in.remaining()) : in.remaining();
        for (int i = 0; i < take; i++) {
          byte b = in.get();
          if (b == '\n') {
            if (line == null) {
              line = ByteBuffer.allocate(512);
            }
            line.flip();
            if (line.hasRemaining() && line.get(line.limit() - 1) == '\r') {
              line.limit(line.limit() - 1);
            }
            handler.onText(this, line);
            line.clear();
          } else {
            if (line == null) {
              line = ByteBuffer.allocate(512);
            } else if (!line.hasRemaining()) {
              line = ByteBuffer.allocate(line.capacity() * 2).put(line.flip());
            }
            line.put(b);
          }
        }
        chunkLeft -= take;
      }
    }

    private static int indexOf(ByteBuffer in, byte value) {
      for (int i = in.position(); i < in.limit(); i++) {
        if (in.get(i) == value) {
          return i;
        }
      }
      return -1;
    }
  }

  /** The text of a small payload (protocol frames the benchmark looks into). */
  static String text(ByteBuffer payload) {
    return StandardCharsets.UTF_8.decode(payload.duplicate()).toString();
  }
}
