package io.switchboard.ops.control;

import io.switchboard.broker.Broker;
import io.switchboard.broker.BrokerProducer;
import io.switchboard.config.Settings;
import io.switchboard.connection.Connections;
import io.switchboard.notifications.control.NotificationHub;
import io.switchboard.security.control.Authenticator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/** Start-up: one line that says how this node runs, and the warnings an operator must see. */
@ApplicationScoped
public class Lifecycle {

  private static final Logger LOG = Logger.getLogger(Lifecycle.class.getName());

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
                    + " heartbeat=%ds, idle timeout=%ds, client queue=%d",
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
                settings.clientMaxQueued()));
    authenticator.announce();
  }
}
