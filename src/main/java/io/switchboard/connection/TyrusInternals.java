package io.switchboard.connection;

import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The one place where Switchboard reaches into Tyrus (Payara's WebSocket implementation), resolved
 * when a session opens and a no-op on any other server or if Tyrus changes.
 *
 * <p>Why: Tyrus re-arms its idle-timeout task on every message sent or received, even with the idle
 * timeout disabled, on the container's managed scheduler, which captures the application's context
 * for every task (a class-loader resource scan). Measured on a 1000-member room, that was most of
 * the CPU per delivery. Switchboard runs its own idle timeout (the heartbeat), keeps Tyrus's at 0,
 * and gives each session a scheduler that drops those tasks.
 *
 * <p>Tried and removed: cutting the TCP connection of a client that stopped reading, through
 * Grizzly. Touching the connection under Tyrus's feet let the container recycle a response that was
 * still in use, and bytes landed on other clients' sockets.
 */
final class TyrusInternals {

  private static final Logger LOG = Logger.getLogger(TyrusInternals.class.getName());
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private TyrusInternals() {}

  /** Replaces the session's scheduler with one that drops Tyrus's idle-timeout tasks. */
  static void silenceIdleTimer(Session session) {
    try {
      session.setMaxIdleTimeout(0);
      Field service = findField(session.getClass(), "service");
      if (service == null || !ScheduledExecutorService.class.isAssignableFrom(service.getType())) {
        throw new NoSuchFieldException(session.getClass().getName() + ".service");
      }
      service.setAccessible(true);
      service.set(session, IgnoringScheduler.INSTANCE);
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (WARNED.compareAndSet(false, true)) {
        LOG.info("Cannot skip the container's per-message idle timer (" + e + ")");
      }
    }
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
}
