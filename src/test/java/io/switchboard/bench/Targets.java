package io.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

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
    abstract WebSocket connect(String room, int index, Latencies frames) throws Exception;

    /** The text frame that sends {@code payload} to {@code room}. */
    abstract String frame(String room, String payload);
  }

  static final HttpClient CLIENT = HttpClient.newHttpClient();

  static WebSocket open(URI uri, WebSocket.Listener listener) throws Exception {
    return CLIENT.newWebSocketBuilder().buildAsync(uri, listener).get(30, TimeUnit.SECONDS);
  }

  /** A listener that hands every complete text frame to a consumer, and counts closes. */
  static WebSocket.Listener texts(Latencies frames, BiConsumer<WebSocket, String> consumer) {
    return new WebSocket.Listener() {
      private StringBuilder partial;

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        if (!last) {
          if (partial == null) {
            partial = new StringBuilder();
          }
          partial.append(data);
        } else {
          String text = partial == null ? data.toString() : partial.append(data).toString();
          partial = null;
          consumer.accept(ws, text);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
        if (frames != null) {
          frames.closed(code);
        }
        return null;
      }
    };
  }

  /**
   * Switchboard's protocol: {@code /ws/chat/{room}}, {@code chat} frames. Members are spread over
   * {@code bases} (several nodes of one cluster); connections without an index use the first.
   */
  static Target switchboard(String name, List<URI> bases, long pid) {
    return new Target(name, pid) {

      @Override
      WebSocket connect(String room, int index, Latencies frames) throws Exception {
        URI base = bases.get(Math.max(0, index) % bases.size());
        String user = index < 0 ? "sender" : "m" + index;
        CompletableFuture<Void> joined = new CompletableFuture<>();
        WebSocket ws =
            open(
                ws(base, "/ws/chat/" + room + "?history=0&user=" + user),
                texts(
                    frames,
                    (socket, text) -> {
                      if (text.contains("\"type\":\"joined\"") && text.indexOf('~') < 0) {
                        joined.complete(null);
                      } else if (frames != null) {
                        frames.record(text);
                      }
                    }));
        joined.get(30, TimeUnit.SECONDS);
        return ws;
      }

      @Override
      String frame(String room, String payload) {
        return "{\"type\":\"chat\",\"room\":\"" + room + "\",\"message\":\"" + payload + "\"}";
      }
    };
  }

  /** The bare broadcast endpoint on the same Payara Micro: no rooms, offsets, history or JSON. */
  static Target bare(URI base, long pid) {
    return new Target("bare endpoint (Payara)", pid) {

      @Override
      WebSocket connect(String room, int index, Latencies frames) throws Exception {
        return open(
            ws(base, "/bare/bare"),
            texts(
                frames,
                (s, text) -> {
                  if (frames != null) {
                    frames.record(text);
                  }
                }));
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
      WebSocket connect(String room, int index, Latencies frames) throws Exception {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        WebSocket ws =
            open(
                ws(base, "/socket.io/?EIO=4&transport=websocket"),
                texts(
                    frames,
                    (socket, text) -> {
                      if (text.startsWith("0")) {
                        send(socket, "40"); // connect to the default namespace
                      } else if (text.startsWith("40")) {
                        if (room == null || index < 0) { // a pure sender joins nothing
                          connected.complete(null);
                        } else {
                          send(socket, "420[\"join\",\"" + room + "\"]"); // join, with ack 0
                        }
                      } else if (text.startsWith("430")) {
                        connected.complete(null); // the server has joined us to the room
                      } else if (text.equals("2")) {
                        send(socket, "3"); // pong
                      } else if (frames != null) {
                        frames.record(text);
                      }
                    }));
        connected.get(30, TimeUnit.SECONDS);
        return ws;
      }

      @Override
      String frame(String room, String payload) {
        return "42[\"chat\",\"" + room + "\",\"" + payload + "\"]";
      }
    };
  }

  /** Sends a text frame; one send at a time per connection, as the JDK client requires. */
  static void send(WebSocket ws, String text) {
    synchronized (ws) {
      ws.sendText(text, true).join();
    }
  }

  static URI ws(URI http, String path) {
    return URI.create("ws://" + http.getHost() + ":" + http.getPort() + path);
  }
}
