package io.switchboard.ops.control;

import io.switchboard.chat.control.ChatService;
import io.switchboard.connection.Connections;
import io.switchboard.connection.Disconnect;
import io.switchboard.notifications.control.NotificationHub;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.eclipse.microprofile.health.Readiness;

/**
 * Graceful shutdown (undeploy, or SIGTERM to the server): readiness goes DOWN, no new work is
 * accepted, the messages being handled get their acks, every WebSocket is closed with 1012 {@code
 * Service restart} after what it was already sent, and every event stream ends. Clients reconnect
 * (to another node behind the load balancer) and resume with since or Last-Event-ID.
 */
@ApplicationScoped
public class Drain {

  private static final Logger LOG = Logger.getLogger(Drain.class.getName());

  /**
   * How long a drain waits for messages being stored to be answered: longer than the Redis pipeline
   * takes to learn the outcome of a round trip that failed (it sends it again for up to 10 s), so
   * that no accepted message goes unanswered. Without such trouble the wait is over in
   * milliseconds.
   */
  static final long IN_FLIGHT_WAIT_MILLIS = 12_000;

  static final long CLOSE_WAIT_MILLIS = 5000;

  @Inject @Readiness ReadinessCheck readiness;
  @Inject ChatService chat;
  @Inject Connections connections;
  @Inject NotificationHub notifications;

  private final AtomicBoolean drained = new AtomicBoolean();

  void onShutdown(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
    drain();
  }

  public void drain() {
    if (!drained.compareAndSet(false, true)) {
      return;
    }
    long start = System.currentTimeMillis();
    int sockets = connections.count();
    int streams = notifications.clientCount();
    LOG.info(
        "Draining: not ready any more; closing "
            + sockets
            + " WebSockets with 1012 and "
            + streams
            + " event streams");
    readiness.drain();
    chat.drain(IN_FLIGHT_WAIT_MILLIS);
    connections.closeAllAfterFlush(Disconnect.SERVICE_RESTART);
    notifications.closeAll();
    long deadline = System.currentTimeMillis() + CLOSE_WAIT_MILLIS;
    while (connections.count() > 0 && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    LOG.info(
        "Drained in "
            + (System.currentTimeMillis() - start)
            + " ms; "
            + connections.count()
            + " WebSockets still closing");
  }
}
