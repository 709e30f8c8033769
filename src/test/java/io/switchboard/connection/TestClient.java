package io.switchboard.connection;

import io.switchboard.platform.ContainerConnection;
import io.switchboard.platform.Json;
import io.switchboard.security.Identity;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Connection} without a container, for unit tests of what is sent to a client: its writer
 * is the real {@link Outbox}, writing to a client that records each frame. The client reads at
 * once, or (after {@link #stopReading()}) leaves writes pending until it {@link #read()}s, as a
 * slow client does.
 */
public final class TestClient {

  private final List<String> frames = new CopyOnWriteArrayList<>();
  private final List<SendHandler> pending = new ArrayList<>();
  private final Connection connection;
  private volatile boolean reading = true;
  private volatile CloseReason closed;

  private TestClient(String id, Identity identity, long maxQueuedBytes) {
    RemoteEndpoint.Async remote =
        (RemoteEndpoint.Async)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class},
                (p, method, args) -> {
                  if (!method.getName().equals("sendText")) {
                    return null; // pings
                  }
                  frames.add((String) args[0]);
                  SendHandler done = (SendHandler) args[1];
                  boolean now;
                  synchronized (pending) {
                    now = reading;
                    if (!now) {
                      pending.add(done);
                    }
                  }
                  if (now) {
                    done.onResult(new SendResult());
                  }
                  return null;
                });
    Session session =
        (Session)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Session.class},
                (p, method, args) ->
                    switch (method.getName()) {
                      case "getId" -> id;
                      case "getAsyncRemote" -> remote;
                      case "isOpen" -> closed == null;
                      case "close" -> {
                        closed = args == null ? null : (CloseReason) args[0];
                        yield null;
                      }
                      case "hashCode" -> System.identityHashCode(p);
                      case "equals" -> p == args[0];
                      default -> null;
                    });
    Connection[] self = new Connection[1];
    Outbox outbox =
        new Outbox(
            remote,
            10_000,
            maxQueuedBytes,
            Runnable::run,
            new Outbox.Listener() {
              @Override
              public void onOverflow() {
                self[0].close(Disconnect.SLOW_CONSUMER);
              }

              @Override
              public void onWriteFailed(Throwable cause) {
                self[0].close(Disconnect.NORMAL);
              }

              @Override
              public void onSent(int count) {}
            },
            handler -> null);
    connection =
        new Connection(
            session,
            identity,
            outbox,
            null,
            null,
            null,
            null,
            c -> {},
            c -> {},
            ContainerConnection.NONE,
            System.nanoTime());
    self[0] = connection;
  }

  /** A client of a guest user named as its user id. */
  public static TestClient of(String id, String user, long maxQueuedBytes) {
    return new TestClient(id, new Identity(user, user, Set.of("*"), Set.of()), maxQueuedBytes);
  }

  public Connection connection() {
    return connection;
  }

  /** Every frame written to this client, in order. */
  public List<String> frames() {
    return List.copyOf(frames);
  }

  /** The frames written so far, parsed. */
  public List<JsonObject> parsed() {
    return frames().stream().map(f -> Json.get().parse(f).asJsonObject()).toList();
  }

  /** The {@code offset}s of the chat frames written so far, in order. */
  public List<Long> offsets() {
    return parsed().stream()
        .filter(f -> f.getString("type").equals("chat"))
        .map(f -> f.getJsonNumber("offset").longValue())
        .toList();
  }

  /** The frames' types, in order. */
  public List<String> types() {
    return parsed().stream().map(f -> f.getString("type")).toList();
  }

  /** From now on, writes stay pending until {@link #read()}. */
  public void stopReading() {
    synchronized (pending) {
      reading = false;
    }
  }

  /** Completes the pending writes and reads every next one at once. */
  public void read() {
    List<SendHandler> done;
    synchronized (pending) {
      reading = true;
      done = List.copyOf(pending);
      pending.clear();
    }
    done.forEach(h -> h.onResult(new SendResult()));
  }

  /** The close code the connection's session was closed with, or 0. */
  public int closeCode() {
    CloseReason reason = closed;
    return reason == null ? 0 : reason.getCloseCode().getCode();
  }
}
