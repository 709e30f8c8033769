package io.switchboard.ops.control;

import io.switchboard.broker.Broker;
import io.switchboard.broker.setup.BrokerProducer;
import io.switchboard.config.Settings;
import io.switchboard.connection.Connections;
import io.switchboard.notifications.control.NotificationHub;
import io.switchboard.security.control.Authenticator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Start-up: one line that says how this node runs, and the warnings an operator must see. */
@ApplicationScoped
public class Lifecycle {

  private static final Logger LOG = Logger.getLogger(Lifecycle.class.getName());

  /** Held, so that the level set on it stays (the log manager keeps loggers weakly). */
  private static final Logger QUIET =
      Logger.getLogger("org.glassfish.tyrus.servlet.TyrusServletWriter");

  @Inject Settings settings;
  @Inject Broker broker;
  @Inject BrokerProducer brokers;
  @Inject Connections connections;
  @Inject Authenticator authenticator;
  @Inject NotificationHub notifications;
  @Inject StatsStream statsStream;
  @Inject Stats stats;

  void started(@Observes Startup event) {
    // Application-scoped beans start lazily; these must run from the start.
    connections.count();
    notifications.clientCount();
    statsStream.hashCode();
    stats.local(); // uptime counts from here
    LOG.info(
        () ->
            String.format(
                "Switchboard node %s started: broker=%s, auth=%s, history=%d messages/room,"
                    + " notifications=%d, rate=%d/s burst %d, max frame=%d bytes,"
                    + " heartbeat=%ds, idle timeout=%ds, client queue=%d frames/%d bytes,"
                    + " write timeout=%ds",
                settings.nodeId(),
                brokers.describe(),
                authenticator.guestMode() ? "guest" : "token",
                settings.historySize(),
                settings.notificationHistory(),
                settings.ratePerSecond(),
                settings.rateBurst(),
                settings.maxFrameBytes(),
                settings.heartbeatSeconds(),
                settings.idleTimeoutSeconds(),
                settings.clientMaxQueued(),
                settings.clientMaxQueuedBytes(),
                settings.writeTimeoutSeconds()));
    authenticator.announce();
    // Tyrus logs a warning with a stack trace for every connection that goes away with frames
    // still queued, which is every client Switchboard cuts after it stopped reading (counted in
    // the metrics, logged at FINE): one line per slow client would drown the log.
    QUIET.setLevel(Level.SEVERE);
  }
}
