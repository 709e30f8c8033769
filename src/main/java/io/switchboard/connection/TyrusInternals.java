package io.switchboard.connection;

import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The two places where Switchboard reaches into Tyrus (Payara's WebSocket implementation), each
 * resolved once when a session opens and each a no-op on any other server or if Tyrus changes.
 *
 * <p><b>Per-message scheduling.</b> Tyrus re-arms its idle-timeout task on every message sent or
 * received, even with the idle timeout disabled, on the container's managed scheduler, which
 * captures the application's context for every task (a class-loader resource scan). Measured on a
 * 1000-member room, that was most of the CPU per delivery. Switchboard runs its own idle timeout
 * (the heartbeat), keeps Tyrus's at 0, and gives each session a scheduler that ignores those tasks.
 *
 * <p><b>Hard close.</b> The WebSocket API can only start a close handshake. A client that stopped
 * reading never receives the close frame, and Payara (Tyrus on Grizzly) then keeps the socket, and
 * the bytes queued for it, until the client reads again, which a hostile client never does. Nothing
 * in the Jakarta API aborts a connection, so on Tyrus over Grizzly this follows Tyrus's writer to
 * the Grizzly connection and terminates it. The path is resolved when the session opens (it is gone
 * after a close). On another server, or if the internals change, it does nothing and the
 * container's own timeouts end such connections; a line at start-up says so once.
 */
final class TyrusInternals {

  private static final Logger LOG = Logger.getLogger(TyrusInternals.class.getName());
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  private static final TyrusInternals NONE = new TyrusInternals(null, null);
  private static final AtomicBoolean SCHEDULER_WARNED = new AtomicBoolean();

  private final Object grizzlyConnection;
  private final Object writer;

  private TyrusInternals(Object grizzlyConnection, Object writer) {
    this.grizzlyConnection = grizzlyConnection;
    this.writer = writer;
  }

  static TyrusInternals of(Session session) {
    silenceIdleTimer(session);
    try {
      Object webSocket = field(session.getAsyncRemote(), "webSocket");
      Object writer = field(field(webSocket, "protocolHandler"), "writer");
      Object handler = field(writer, "tyrusHttpUpgradeHandler");
      Object real = optionalField(handler, "handler"); // Tyrus wraps the handler in a proxy
      Object webConnection = field(real != null ? real : handler, "wc");
      Object request = call(field(webConnection, "request"), "getCoyoteRequest");
      Object connection = call(call(request, "getContext"), "getConnection");
      connection.getClass().getMethod("terminateSilently");
      return new TyrusInternals(connection, writer);
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (WARNED.compareAndSet(false, true)) {
        LOG.info(
            "Hard close of stalled WebSockets is not available on this server ("
                + e
                + "); stalled clients are closed by the container's timeouts");
      }
      return NONE;
    }
  }

  /** Replaces the session's scheduler with one that drops Tyrus's idle-timeout tasks. */
  private static void silenceIdleTimer(Session session) {
    try {
      session.setMaxIdleTimeout(0);
      Field service = findField(session.getClass(), "service");
      if (service == null || !ScheduledExecutorService.class.isAssignableFrom(service.getType())) {
        throw new NoSuchFieldException(session.getClass().getName() + ".service");
      }
      service.setAccessible(true);
      service.set(session, IgnoringScheduler.INSTANCE);
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (SCHEDULER_WARNED.compareAndSet(false, true)) {
        LOG.info("Cannot skip the container's per-message idle timer (" + e + ")");
      }
    }
  }

  /**
   * Asks Tyrus's writer to flush what it queued, if the socket can take it. Why: on a fresh
   * connection, the first write can find the output not yet ready (the 101 response is still going
   * out); Tyrus then waits for a write-possible callback that, seen under load on Payara, never
   * comes, and the connection receives nothing. The outbox watchdog calls this for writes pending
   * too long; when the client is really not reading, it does nothing.
   */
  void kick() {
    if (writer == null) {
      return;
    }
    try {
      Method flush = writer.getClass().getMethod("onWritePossible");
      flush.invoke(writer);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.fine(() -> "Kicking the writer failed: " + e);
    }
  }

  /** Terminates the TCP connection; safe to call more than once. */
  void abort() {
    if (grizzlyConnection == null) {
      return;
    }
    try {
      grizzlyConnection.getClass().getMethod("terminateSilently").invoke(grizzlyConnection);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.fine(() -> "Abort failed: " + e);
    }
  }

  private static Object optionalField(Object target, String name) throws IllegalAccessException {
    Field field = findField(target.getClass(), name);
    if (field == null) {
      return null;
    }
    field.setAccessible(true);
    return field.get(target);
  }

  private static Object field(Object target, String name) throws ReflectiveOperationException {
    Object value = optionalField(target, name);
    if (value == null) {
      throw new NoSuchFieldException(target.getClass().getName() + "." + name);
    }
    return value;
  }

  private static Field findField(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField(name);
      } catch (NoSuchFieldException e) {
        // keep looking in the superclass
      }
    }
    return null;
  }

  private static Object call(Object target, String name) throws ReflectiveOperationException {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Method method = c.getDeclaredMethod(name);
        method.setAccessible(true);
        Object value = method.invoke(target);
        if (value == null) {
          throw new NoSuchFieldException(name + " returned null");
        }
        return value;
      } catch (NoSuchMethodException e) {
        // keep looking in the superclass
      }
    }
    throw new NoSuchMethodException(target.getClass().getName() + "." + name);
  }
}
