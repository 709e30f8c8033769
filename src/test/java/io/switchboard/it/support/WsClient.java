package io.switchboard.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) that records every text frame it receives, in order, and how
 * the server closed it. The JDK client answers pings by itself.
 */
public final class WsClient implements AutoCloseable {

  public static final Duration WAIT = Duration.ofSeconds(10);
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile int closeCode = -1;
  private volatile String closeReason;
  private final WebSocket socket;
  private final URI uri;

  private WsClient(URI uri) {
    this.uri = uri;
    try {
      socket =
          CLIENT
              .newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .buildAsync(uri, new Listener())
              .get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      String status = "";
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) {
        status = " (HTTP " + h.getResponse().statusCode() + ")";
      }
      throw new IllegalStateException("Cannot connect to " + uri + status + ": " + e, e);
    }
  }

  /**
   * Connects and waits until the server said something (a frame or a close). Rarely (about once in
   * a few thousand connections, only inside the full suite) the JDK client never sees the first
   * frame of a fresh connection; the cause was not found (see the README's known issues). Such a
   * connection is reported loudly and made once more, so that one lost handshake does not hide what
   * a test is about; a second loss fails the test.
   */
  public static WsClient connect(URI uri) {
    WsClient client = new WsClient(uri);
    boolean speaksFirst = uri.getPath().startsWith("/ws/chat"); // welcome, or a refusal
    if (!speaksFirst || client.firstEvent(Duration.ofSeconds(5))) {
      return client;
    }
    System.err.println("!!! FIRST FRAME LOST on " + uri + "; connecting once more");
    Diagnostics.dumpServers("First frame lost on " + uri);
    client.abort();
    return new WsClient(uri);
  }

  /** Waits for the first frame or the close; the frame stays first in the queue. */
  private boolean firstEvent(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      if (!frames.isEmpty() || isClosed()) {
        return true;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    }
    return !frames.isEmpty() || isClosed();
  }

  private final class Listener implements WebSocket.Listener {
    private StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        frames.add(Http.object(text.toString()));
        text = new StringBuilder();
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closeCode = code;
      closeReason = reason;
      closed.countDown();
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.countDown();
    }
  }

  public WsClient send(String text) {
    socket.sendText(text, true).join();
    return this;
  }

  public WsClient sendBinary(byte[] data) {
    socket.sendBinary(ByteBuffer.wrap(data), true).join();
    return this;
  }

  /** The next frame, whatever its type. */
  public JsonObject next() {
    return next(WAIT);
  }

  public JsonObject next(Duration wait) {
    try {
      JsonObject frame = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        String reason =
            "No frame within " + wait + (isClosed() ? " (closed " + closeCode + ")" : "");
        Diagnostics.dumpServers(reason);
        fail(reason);
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next frame of that type, asserting it comes next (no other frame before it). */
  public JsonObject expect(String type) {
    JsonObject frame = next();
    assertThat(frame.getString("type")).as("frame %s", frame).isEqualTo(type);
    return frame;
  }

  /** Skips frames until one matches; fails after {@link #WAIT}. */
  public JsonObject await(Predicate<JsonObject> condition) {
    return await(condition, WAIT);
  }

  /** Skips frames until one matches; fails after {@code wait}. */
  public JsonObject await(Predicate<JsonObject> condition, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return fail("No matching frame within " + wait);
      }
      JsonObject frame = next(Duration.ofNanos(left));
      if (condition.test(frame)) {
        return frame;
      }
    }
  }

  public JsonObject awaitType(String type) {
    return await(f -> type.equals(f.getString("type", null)));
  }

  /** Frames that arrive within {@code quiet}, stopping at the first pause that long. */
  public List<JsonObject> drain(Duration quiet) {
    List<JsonObject> out = new ArrayList<>();
    try {
      JsonObject frame;
      while ((frame = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
        out.add(frame);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  /** Every frame that arrives within {@code window} (a bounded wait, even under traffic). */
  public List<JsonObject> collect(Duration window) {
    List<JsonObject> out = new ArrayList<>();
    long deadline = System.nanoTime() + window.toNanos();
    try {
      long left;
      while ((left = deadline - System.nanoTime()) > 0) {
        JsonObject frame = frames.poll(left, TimeUnit.NANOSECONDS);
        if (frame != null) {
          out.add(frame);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  /** Asserts nothing arrives for a while. */
  public void expectSilence(Duration quiet) {
    assertThat(drain(quiet)).isEmpty();
  }

  public int awaitClose() {
    return awaitClose(WAIT);
  }

  public int awaitClose(Duration wait) {
    try {
      if (!closed.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        fail("Not closed within " + wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return closeCode;
  }

  public boolean isClosed() {
    return closed.getCount() == 0;
  }

  public int closeCode() {
    return closeCode;
  }

  public String closeReason() {
    return closeReason;
  }

  /** Sends a ping frame and waits for the pong: proves the connection is alive and in order. */
  public void assertAlive() {
    send("{\"type\":\"ping\"}");
    awaitType("pong");
  }

  /**
   * Sends a ping and returns every frame that came before its pong, then every frame that follows
   * within {@code quiet}: for "nothing else arrives" checks, which must see the frames that {@link
   * #assertAlive()} would skip.
   */
  public List<JsonObject> framesAroundAPing(Duration quiet) {
    send("{\"type\":\"ping\"}");
    List<JsonObject> seen = new ArrayList<>();
    JsonObject frame;
    while (!"pong".equals((frame = next()).getString("type", null))) {
      seen.add(frame);
    }
    seen.addAll(drain(quiet));
    return seen;
  }

  @Override
  public void close() {
    if (!isClosed()) {
      try {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        socket.abort();
      }
    }
  }

  public void abort() {
    socket.abort();
  }
}
