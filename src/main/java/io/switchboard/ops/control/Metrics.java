package io.switchboard.ops.control;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.broker.Broker;
import io.switchboard.chat.control.Rooms;
import io.switchboard.chat.entity.ChatActivity;
import io.switchboard.config.Settings;
import io.switchboard.connection.Connections;
import io.switchboard.notifications.control.NotificationHub;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Switchboard's metrics, in Prometheus form at {@code /api/metrics}, via Micrometer.
 *
 * <p>Why Micrometer inside the WAR rather than the server's MicroProfile Metrics: the same metrics
 * on Payara and WildFly (which no longer ships MicroProfile Metrics), a real latency histogram, and
 * no dependency on the server's metrics configuration.
 */
@ApplicationScoped
public class Metrics {

  @Inject Settings settings;
  @Inject Connections connections;
  @Inject NotificationHub notifications;
  @Inject Rooms rooms;
  @Inject Broker broker;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Counter messagesIn;
  private Counter acks;
  private Counter rateLimited;
  private Timer publish;

  @PostConstruct
  void start() {
    registry.config().commonTags("node", settings.nodeId());
    Gauge.builder("switchboard_connections", connections, Connections::count)
        .description("Open WebSocket connections")
        .register(registry);
    Gauge.builder("switchboard_sse_clients", notifications, NotificationHub::clientCount)
        .description("Open event streams")
        .register(registry);
    Gauge.builder("switchboard_rooms", rooms, Rooms::localRoomCount)
        .description("Rooms with members on this node")
        .register(registry);
    Gauge.builder("switchboard_frames_out", connections, Connections::framesOut)
        .description("WebSocket frames written (a counter)")
        .register(registry);
    Gauge.builder("switchboard_sse_events_out", notifications, NotificationHub::eventsOut)
        .description("SSE events written (a counter)")
        .register(registry);
    Gauge.builder("switchboard_slow_consumer_closes", connections, Connections::slowConsumers)
        .description("Connections closed with 4009 (a counter)")
        .register(registry);
    Gauge.builder("switchboard_connections_cut", connections, Connections::cuts)
        .description(
            "WebSocket connections reset because their close did not complete in time (a counter)")
        .register(registry);
    Gauge.builder("switchboard_websocket_fast_path", connections, c -> c.fastPath() ? 1 : 0)
        .description(
            "1 when WebSocket broadcasts are encoded once through Tyrus, 0 on the standard API"
                + " (forced, another container, or before the first connection)")
        .register(registry);
    Gauge.builder("switchboard_connections_orphaned", connections, Connections::orphans)
        .description(
            "WebSockets freed because the container closed their socket without reporting it"
                + " (a counter)")
        .register(registry);
    Gauge.builder("switchboard_frames_dropped", connections, Connections::framesDropped)
        .description(
            "Frames not sent because the connection was closing or over its bound (a counter)")
        .register(registry);
    if (broker.subscriptionReconnects().isPresent()) {
      Gauge.builder(
              "switchboard_redis_reconnects", broker, b -> b.subscriptionReconnects().orElse(0))
          .description("Times the Redis subscription was made again (a counter)")
          .register(registry);
    }
    messagesIn =
        Counter.builder("switchboard_messages_in")
            .description("Chat messages accepted")
            .register(registry);
    acks = Counter.builder("switchboard_acks").description("Acks sent").register(registry);
    rateLimited =
        Counter.builder("switchboard_rate_limited")
            .description("Frames answered rate_limited")
            .register(registry);
    publish =
        Timer.builder("switchboard_broker_publish")
            .description("Time to store and publish a chat message through the broker")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(50_000))
            .maximumExpectedValue(Duration.ofSeconds(5))
            .register(registry);
  }

  /** Counts what chat announces (see {@link ChatActivity}). */
  void count(@Observes ChatActivity activity) {
    switch (activity.kind()) {
      case PUBLISH_ANSWERED -> publish.record(activity.nanos(), TimeUnit.NANOSECONDS);
      case ACCEPTED -> messagesIn.increment();
      case ACK_SENT -> acks.increment();
      case RATE_LIMITED -> rateLimited.increment();
    }
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
