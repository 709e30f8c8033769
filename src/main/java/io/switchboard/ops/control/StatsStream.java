package io.switchboard.ops.control;

import io.switchboard.notifications.control.NotificationHub;
import io.switchboard.notifications.control.SseStream;
import io.switchboard.platform.Json;
import io.switchboard.platform.Workers;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@code /api/stats/stream}: the cluster's stats as an {@code event: stats} once a second. */
@ApplicationScoped
public class StatsStream {

  @Inject Stats stats;
  @Inject NotificationHub hub;
  @Inject Workers workers;

  private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
  private volatile Sse sse;

  @PostConstruct
  void start() {
    workers.every(1000, "Stats stream", this::tick);
  }

  public void open(SseEventSink sink, Sse sse, HttpServletRequest request) {
    this.sse = sse;
    SseStream stream = hub.open(sink, sse, request);
    streams.add(stream);
    stream.send(event(sse));
  }

  void tick() {
    Sse current = sse;
    streams.removeIf(SseStream::isClosed);
    if (current == null || streams.isEmpty()) {
      return;
    }
    OutboundSseEvent event = event(current); // computed and encoded once for every client
    streams.forEach(s -> s.send(event));
  }

  private OutboundSseEvent event(Sse sse) {
    return sse.newEventBuilder()
        .name("stats")
        .data(String.class, Json.get().write(stats.cluster()))
        .build();
  }
}
