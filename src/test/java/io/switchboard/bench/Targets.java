package io.switchboard.bench;

import io.switchboard.bench.Swarm.Connection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The servers the benchmark drives, each through its own protocol, with the same semantics: members
 * join a room, a payload sent to the room reaches every member.
 */
final class Targets {

  private Targets() {}

  /** One system under test: its name and its server process (for its CPU time). */
  abstract static class Target {
    private final String name;
    private final long pid;

    Target(String name, long pid) {
      this.name = name;
      this.pid = pid;
    }

    String name() {
      return name;
    }

    long pid() {
      return pid;
    }

    /**
     * Opens connection number {@code index} (negative: the sender) and joins {@code room}; hands
     * every frame received to {@code frames} (which ignores frames without a payload), or drops
     * them when {@code frames} is null.
     */
    abstract Connection connect(String room, int index, Latencies frames) throws Exception;

    /** The text frame that sends {@code payload} to {@code room}. */
    abstract String frame(String room, String payload);
  }

  /** The client every target's connections use. */
  static final Swarm SWARM = swarm();

  private static Swarm swarm() {
    try {
      return new Swarm();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A handler that records payloads and closes in {@code frames} and passes other frames on. */
  static Swarm.Handler handler(Latencies frames, BiConsumer<Connection, String> other) {
    return new Swarm.Handler() {
      @Override
      public void onText(Connection connection, ByteBuffer payload) {
        long sentAt = Payloads.sentAt(payload);
        if (sentAt >= 0) {
          if (frames != null) {
            frames.record(sentAt);
          }
        } else {
          other.accept(connection, Swarm.text(payload));
        }
      }

      @Override
      public void onClose(int code) {
        if (frames != null) {
          frames.closed(code);
        }
      }
    };
  }

  /**
   * Switchboard's protocol: {@code /ws/chat/{room}}, {@code chat} frames. Members are spread over
   * {@code bases} (several nodes of one cluster); connections without an index use the first.
   */
  static Target switchboard(String name, List<URI> bases, long pid) {
    return new Target(name, pid) {
      private final Resends resends = new Resends();

      @Override
      Connection connect(String room, int index, Latencies frames) throws Exception {
        URI base = bases.get(Math.max(0, index) % bases.size());
        String user = index < 0 ? "sender" : "m" + index;
        CompletableFuture<Void> joined = new CompletableFuture<>();
        Connection connection =
            SWARM.websocket(
                ws(base, "/ws/chat/" + room + "?history=0&user=" + user),
                handler(
                    frames,
                    (c, text) -> {
                      if (text.contains("\"type\":\"joined\"")) {
                        joined.complete(null);
                      } else {
                        resends.onFrame(c::send, text);
                      }
                    }));
        joined.get(30, TimeUnit.SECONDS);
        return connection;
      }

      @Override
      String frame(String room, String payload) {
        return resends.frame(room, payload);
      }
    };
  }

  /**
   * What a well-behaved Switchboard client does with its messages: each carries an {@code id}, is
   * kept until its {@code ack}, and is sent again with the same {@code id} when the server answers
   * {@code unavailable} or {@code rate_limited} (after {@code retryAfterMs}); the server acks a
   * repeat with the original offset and delivers it once. A resent message keeps its send time, so
   * the wait shows in the latencies.
   */
  static final class Resends {
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Pattern RETRY = Pattern.compile("\"retryAfterMs\":(\\d+)");
    private static final ScheduledExecutorService LATER =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-resends");
              t.setDaemon(true);
              return t;
            });

    private final AtomicLong ids = new AtomicLong();
    private final Map<String, String> unacked = new ConcurrentHashMap<>();

    String frame(String room, String payload) {
      String id = "b" + ids.incrementAndGet();
      String frame =
          "{\"type\":\"chat\",\"room\":\""
              + room
              + "\",\"id\":\""
              + id
              + "\",\"message\":\""
              + payload
              + "\"}";
      unacked.put(id, frame);
      return frame;
    }

    /** Handles a frame the connection received; {@code send} sends on that connection. */
    void onFrame(Consumer<String> send, String text) {
      boolean ack = text.contains("\"type\":\"ack\"");
      boolean retry =
          text.contains("\"type\":\"error\"")
              && (text.contains("\"code\":\"unavailable\"")
                  || text.contains("\"code\":\"rate_limited\""));
      if (!ack && !text.contains("\"type\":\"error\"")) {
        return;
      }
      Matcher id = ID.matcher(text);
      if (!id.find()) {
        return;
      }
      if (!retry) {
        unacked.remove(id.group(1)); // acked, or refused for good
        return;
      }
      String frame = unacked.get(id.group(1));
      if (frame == null) {
        return;
      }
      Matcher wait = RETRY.matcher(text);
      long millis = wait.find() ? Long.parseLong(wait.group(1)) : 1000;
      LATER.schedule(
          () -> {
            try {
              send.accept(frame);
            } catch (IllegalStateException closed) {
              unacked.remove(id.group(1));
            }
          },
          millis,
          TimeUnit.MILLISECONDS);
    }
  }

  /** The bare broadcast endpoint on the same Payara Micro: no rooms, offsets, history or JSON. */
  static Target bare(URI base, long pid) {
    return new Target("bare endpoint (Payara)", pid) {

      @Override
      Connection connect(String room, int index, Latencies frames) throws Exception {
        return SWARM.websocket(ws(base, "/bare/bare"), handler(frames, (c, text) -> {}));
      }

      @Override
      String frame(String room, String payload) {
        return payload;
      }
    };
  }

  /** Socket.IO 4 (Engine.IO 4 over WebSocket); a {@code join} event puts a socket in a room. */
  static Target socketIo(URI base, long pid) {
    return new Target("Socket.IO 4 (Node.js)", pid) {

      @Override
      Connection connect(String room, int index, Latencies frames) throws Exception {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        Connection connection =
            SWARM.websocket(
                ws(base, "/socket.io/?EIO=4&transport=websocket"),
                handler(
                    frames,
                    (socket, text) -> {
                      if (text.startsWith("0")) {
                        socket.send("40"); // connect to the default namespace
                      } else if (text.startsWith("40")) {
                        if (room == null || index < 0) { // a pure sender joins nothing
                          connected.complete(null);
                        } else {
                          socket.send("420[\"join\",\"" + room + "\"]"); // join, with ack 0
                        }
                      } else if (text.startsWith("430")) {
                        connected.complete(null); // the server has joined us to the room
                      } else if (text.equals("2")) {
                        socket.send("3"); // pong
                      }
                    }));
        connected.get(30, TimeUnit.SECONDS);
        return connection;
      }

      @Override
      String frame(String room, String payload) {
        return "42[\"chat\",\"" + room + "\",\"" + payload + "\"]";
      }
    };
  }

  static URI ws(URI http, String path) {
    return URI.create("ws://" + http.getHost() + ":" + http.getPort() + path);
  }
}
