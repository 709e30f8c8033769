package io.switchboard.ops.control;

import io.switchboard.notifications.control.NotificationHub;
import io.switchboard.notifications.control.SseEvent;
import io.switchboard.notifications.control.SseStream;
import io.switchboard.platform.Json;
import io.switchboard.platform.Workers;
import io.switchboard.security.Identity;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@code /api/stats/stream}: the cluster's stats as an {@code event: stats} once a second. */
@ApplicationScoped
public class StatsStream {

  @Inject Stats stats;
  @Inject NotificationHub hub;
  @Inject Workers workers;

  private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();

  @PostConstruct
  void start() {
    workers.every(1000, "Stats stream", this::tick);
  }

  /** Starts a stats stream on the request, with the stats as they are now. */
  public void open(HttpServletRequest request, HttpServletResponse response, Identity who)
      throws IOException {
    SseStream stream = hub.open(request, response, who);
    streams.add(stream);
    stream.send(event());
  }

  void tick() {
    streams.removeIf(SseStream::isClosed);
    if (!streams.isEmpty()) {
      NotificationHub.sendAll(streams, event()); // computed and encoded once for every client
    }
  }

  private SseEvent event() {
    return SseEvent.of(null, "stats", Json.get().write(stats.cluster()));
  }
}
