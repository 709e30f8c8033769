package io.switchboard.notifications.control;

import io.switchboard.broker.Broker;
import io.switchboard.broker.Notification;
import io.switchboard.broker.NotificationLog;
import io.switchboard.config.Settings;
import io.switchboard.platform.Workers;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * This node's notification subscribers: receives the cluster's notification stream from the broker,
 * orders it by id (filling gaps from history), and hands each notification, encoded once, to the
 * subscribers whose filter matches. Also sends the heartbeats.
 */
@ApplicationScoped
public class NotificationHub {

  private static final Logger LOG = Logger.getLogger(NotificationHub.class.getName());

  /** Events queued per SSE client before it counts as gone. */
  static final int MAX_QUEUED = 1000;

  @Inject Broker broker;
  @Inject Settings settings;
  @Inject Workers workers;

  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
  private final LongAdder eventsOut = new LongAdder();
  private volatile Sse sse;

  /** The last notification id handed to subscribers; guarded by {@code this}. */
  private long last = -1;

  @PostConstruct
  void start() {
    broker.subscribeNotifications(
        new Broker.NotificationListener() {
          @Override
          public void accept(Notification notification) {
            onNotification(notification);
          }

          @Override
          public void onResync() {
            catchUp();
          }
        });
    long period = TimeUnit.SECONDS.toMillis(settings.sseHeartbeatSeconds());
    workers.every(Math.min(period, 1000), "SSE heartbeat", () -> heartbeat(period));
  }

  /** What a subscriber wants: all public notifications, or one user's; optionally some topics. */
  public record Filter(Set<String> topics, String user) {
    boolean matches(Notification n) {
      boolean audience = user == null ? n.user() == null : user.equals(n.user());
      return audience && (topics.isEmpty() || topics.contains(n.topic()));
    }
  }

  /** An SSE client of notifications and where it is in the stream. */
  private final class Subscriber {
    final SseStream stream;
    final Filter filter;

    /** Replay not finished: live notifications wait here, bounded. */
    List<Notification> pending = new ArrayList<>();

    /** The last id sent (or given as Last-Event-ID); guarded by this subscriber. */
    long cursor;

    Subscriber(SseStream stream, Filter filter) {
      this.stream = stream;
      this.filter = filter;
    }

    synchronized void offer(Notification n, OutboundSseEvent event) {
      if (pending != null) {
        if (pending.size() >= MAX_QUEUED) {
          stream.close();
        } else {
          pending.add(n);
        }
        return;
      }
      if (n.id() > cursor) {
        cursor = n.id();
        stream.send(event);
      }
    }

    synchronized void replayed(List<Notification> replay) {
      for (Notification n : replay) {
        if (n.id() > cursor && filter.matches(n)) {
          cursor = n.id();
          stream.send(event(n));
        }
      }
      for (Notification n : pending) {
        if (n.id() > cursor) {
          cursor = n.id();
          stream.send(event(n));
        }
      }
      pending = null;
    }
  }

  /**
   * A new SSE stream that first says how long to wait before reconnecting. {@code request} is the
   * servlet request, whose async end tells the stream to stop writing.
   */
  public SseStream open(SseEventSink sink, Sse sse, HttpServletRequest request) {
    this.sse = sse;
    SseStream stream =
        new SseStream(sink, MAX_QUEUED, workers.sseWriters(), eventsOut::add, streams::remove);
    streams.add(stream);
    ContainerEnd.watch(request, stream::containerClosed);
    // "retry: 3000" then an empty data line: JAX-RS needs data or a comment, a comment would come
    // first, and EventSource dispatches nothing for empty data.
    stream.send(sse.newEventBuilder().reconnectDelay(3000).data(String.class, "").build());
    return stream;
  }

  /**
   * Subscribes an open stream to notifications, after replaying what followed {@code lastEventId}
   * (with a {@code resync} event first when history no longer covers it).
   */
  public void subscribe(SseStream stream, Filter filter, Long lastEventId) {
    Subscriber subscriber = new Subscriber(stream, filter);
    subscribers.add(subscriber);
    if (stream.isClosed()) {
      subscribers.remove(subscriber);
      return;
    }
    if (lastEventId == null) {
      subscriber.replayed(List.of());
      return;
    }
    subscriber.cursor = lastEventId;
    NotificationLog log = broker.notificationsAfter(lastEventId, settings.notificationHistory());
    if (lastEventId + 1 < log.oldestId() || lastEventId > log.latestId()) {
      stream.send(
          sse.newEventBuilder()
              .name("resync")
              .data(
                  String.class,
                  "{\"lastEventId\":" + lastEventId + ",\"oldest\":" + log.oldestId() + "}")
              .build());
      subscriber.cursor = 0;
      subscriber.replayed(
          broker.notificationsAfter(0, settings.notificationHistory()).notifications());
    } else {
      subscriber.replayed(log.notifications());
    }
  }

  /** Delivers in id order: under this hub's lock, which only ever queues events. */
  synchronized void onNotification(Notification notification) {
    if (last < 0) {
      last = notification.id() - 1; // the first one this node sees
    }
    if (notification.id() <= last) {
      return;
    }
    List<Notification> ordered = new ArrayList<>();
    if (notification.id() > last + 1) {
      fill(ordered, notification.id() - 1);
    }
    ordered.add(notification);
    last = notification.id();
    ordered.forEach(this::deliver);
  }

  private synchronized void catchUp() {
    if (last < 0) {
      return;
    }
    List<Notification> missed = new ArrayList<>();
    fill(missed, Long.MAX_VALUE);
    missed.forEach(this::deliver);
  }

  /** Adds the kept notifications after {@link #last} up to {@code upTo}; moves {@code last}. */
  private void fill(List<Notification> out, long upTo) {
    try {
      for (Notification n :
          broker.notificationsAfter(last, settings.notificationHistory()).notifications()) {
        if (n.id() > upTo) {
          break;
        }
        out.add(n);
        last = n.id();
      }
    } catch (RuntimeException e) {
      LOG.warning(() -> "Could not fill a notification gap after id " + last + ": " + e);
    }
  }

  private void deliver(Notification notification) {
    if (subscribers.isEmpty()) {
      return;
    }
    OutboundSseEvent event = null;
    for (Subscriber subscriber : subscribers) {
      if (subscriber.stream.isClosed()) {
        subscribers.remove(subscriber);
      } else if (subscriber.filter.matches(notification)) {
        if (event == null) {
          event = event(notification); // encoded once, for every matching subscriber
        }
        subscriber.offer(notification, event);
      }
    }
  }

  private OutboundSseEvent event(Notification n) {
    OutboundSseEvent.Builder builder =
        sse.newEventBuilder().id(Long.toString(n.id())).data(String.class, NotificationJson.of(n));
    if (n.event() != null) {
      builder.name(n.event());
    }
    return builder.build();
  }

  void heartbeat(long periodMillis) {
    Sse current = sse;
    if (current == null) {
      return;
    }
    long now = System.nanoTime();
    long period = TimeUnit.MILLISECONDS.toNanos(periodMillis);
    OutboundSseEvent ping = null;
    for (SseStream stream : streams) {
      if (stream.isClosed()) {
        stream.close();
      } else if (stream.idleNanos(now) >= period) {
        if (ping == null) {
          ping = current.newEventBuilder().comment("ping").build();
        }
        stream.send(ping);
      }
    }
    subscribers.removeIf(s -> s.stream.isClosed());
  }

  /** Ends every event stream (shutdown); clients reconnect elsewhere with Last-Event-ID. */
  public void closeAll() {
    streams.forEach(SseStream::close);
  }

  /** Live SSE clients of this node (notifications and stats). */
  public int clientCount() {
    return streams.size();
  }

  /** SSE events written since start. */
  public long eventsOut() {
    return eventsOut.sum();
  }
}
