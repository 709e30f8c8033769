package io.switchboard.notifications.control;

import io.switchboard.broker.Broker;
import io.switchboard.broker.Command;
import io.switchboard.broker.Notification;
import io.switchboard.broker.NotificationLog;
import io.switchboard.broker.Sequencer;
import io.switchboard.config.Settings;
import io.switchboard.platform.ApiException;
import io.switchboard.platform.ClientAddress;
import io.switchboard.platform.ContainerConnection;
import io.switchboard.platform.Workers;
import io.switchboard.security.Identity;
import io.switchboard.security.control.ClientSlots;
import io.switchboard.security.control.ConnectRate;
import io.switchboard.security.control.CredentialExpiry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * This node's event streams and notification subscribers: receives the cluster's notification
 * stream from the broker, orders it by id (filling gaps from history), and hands each notification,
 * encoded once, to the subscribers whose filter matches. Also sends the heartbeats, and cuts
 * streams whose client stopped reading.
 *
 * <p>A subscriber that resumes with {@code Last-Event-ID} is sent its replay a page at a time, as
 * its client reads (see {@link SseStream#mark}); meanwhile live notifications skip it (they are in
 * history, so the replay brings them), and once its cursor reaches the hub's it is live.
 */
@ApplicationScoped
public class NotificationHub {

  private static final Logger LOG = Logger.getLogger(NotificationHub.class.getName());

  /** Notifications per replay page. */
  static final int PAGE_NOTIFICATIONS = 100;

  /** Stored bytes per replay page (a page holds at least one notification). */
  static final int PAGE_BYTES = 256 * 1024;

  static final long RETRY_MILLIS = 1000;

  @Inject ConnectRate connectRate;
  @Inject Broker broker;
  @Inject Settings settings;
  @Inject Workers workers;
  @Inject ClientSlots slots;
  @Inject CredentialExpiry expiry;

  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();

  /** The userId each stream was opened by (for the server API's disconnect). */
  private final Map<SseStream, String> owners = new ConcurrentHashMap<>();

  private final LongAdder eventsOut = new LongAdder();
  private final LongAdder cuts = new LongAdder();

  /** Orders the notification stream; its lock is the hub's one lock (subscribers included). */
  private Sequencer<Notification> sequence;

  private Object lock;

  @PostConstruct
  void start() {
    sequence =
        new Sequencer<>(
            "Notifications",
            Notification::id,
            Notification::epoch,
            new Sequencer.History<>() {
              @Override
              public Sequencer.Page<Notification> after(long after) {
                NotificationLog log =
                    broker.notificationsAfter(after, PAGE_NOTIFICATIONS, PAGE_BYTES);
                return new Sequencer.Page<>(
                    log.epoch(), log.latestId(), log.oldestId(), log.notifications());
              }

              @Override
              public String renew(String epoch) {
                return broker.renewNotificationEpoch(epoch);
              }
            },
            new Sink(),
            workers.replays(),
            workers.scheduler());
    lock = sequence;
    broker.subscribeNotifications(
        new Broker.NotificationListener() {
          @Override
          public void accept(Notification notification) {
            onNotification(notification);
          }

          @Override
          public void onResync() {
            sequence.resync();
          }
        });
    broker.subscribeCommands(
        command -> {
          if (command.kind() == Command.Kind.DISCONNECT) {
            workers.releases().execute(() -> endStreamsOf(command.userId()));
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

  /** An event stream of notifications and where it is in the notification sequence. */
  private static final class Subscriber {
    final SseStream stream;
    final Filter filter;

    /** The last id sent or passed over (or given as Last-Event-ID); guarded by the hub's lock. */
    long cursor;

    /** Still being sent its replay; guarded by the hub's lock. */
    boolean replaying;

    Subscriber(SseStream stream, Filter filter) {
      this.stream = stream;
      this.filter = filter;
    }

    /** Under the hub's lock. */
    void offer(Notification n, SseEvent event) {
      if (!replaying && n.id() > cursor) {
        cursor = n.id();
        stream.send(event);
      }
    }

    void resync(long lastEventId, long oldest) {
      stream.send(
          SseEvent.of(
              null, "resync", "{\"lastEventId\":" + lastEventId + ",\"oldest\":" + oldest + "}"));
    }
  }

  /**
   * Starts an event stream on the request (async, no timeout, with the event-stream headers) and
   * says how long to wait before reconnecting.
   */
  public SseStream open(HttpServletRequest request, HttpServletResponse response, Identity who)
      throws IOException {
    connectRate.admit();
    ClientSlots.Lease lease;
    try {
      lease =
          slots.acquire(
              ClientSlots.Kind.STREAM, ClientAddress.of(request, settings.trustedProxies()), who);
    } catch (ClientSlots.Refused refused) {
      throw ApiException.tooMany("too_many_streams", refused.getMessage(), 5);
    }
    try {
      return start(request, response, lease);
    } catch (IOException | RuntimeException e) {
      lease.release();
      throw e;
    }
  }

  private SseStream start(
      HttpServletRequest request, HttpServletResponse response, ClientSlots.Lease lease)
      throws IOException {
    response.setStatus(200);
    response.setContentType("text/event-stream");
    // Uncacheable and unbuffered, so that proxies (nginx reads X-Accel-Buffering) pass it through.
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no");
    AsyncContext async = request.startAsync();
    async.setTimeout(0);
    Identity who = lease.identity();
    AtomicReference<CredentialExpiry.Watch> watch = new AtomicReference<>();
    AtomicBoolean closed = new AtomicBoolean();
    SseStream stream =
        new SseStream(
            async,
            response.getOutputStream(),
            settings.clientMaxQueuedBytes(),
            workers.sseWriters(),
            ContainerConnection.of(request),
            eventsOut::add,
            s -> {
              lease.release();
              forget(s);
              closed.set(true);
              CredentialExpiry.Watch expiring = watch.get();
              if (expiring != null) {
                expiring.cancel();
              }
            },
            cuts::increment);
    streams.add(stream);
    if (who != null) {
      owners.put(stream, who.userId());
      if (stream.isClosed()) {
        owners.remove(stream); // closed meanwhile: its forget may have run before the put
      }
    }
    if (who != null && who.expires() != null) {
      // Opened with a token: the stream ends when the token does (the client reconnects with a
      // fresh one and resumes from its Last-Event-ID).
      CredentialExpiry.Watch started =
          expiry.watch(
              who.expires(),
              new CredentialExpiry.Holder() {
                @Override
                public void expiring(java.time.Instant exp) {
                  // an event stream cannot be given a new token: it ends, the client reconnects
                }

                @Override
                public void expired() {
                  stream.end();
                }
              });
      watch.set(started);
      if (closed.get()) {
        started.cancel(); // the stream closed meanwhile
      }
    }
    ContainerEnd.watch(async, stream::containerClosed);
    stream.send(SseEvent.RETRY);
    response.getOutputStream().setWriteListener(stream);
    return stream;
  }

  /** Ends every event stream of the user on this node (its client may reconnect). */
  void endStreamsOf(String userId) {
    int ended = 0;
    for (Map.Entry<SseStream, String> owner : owners.entrySet()) {
      if (owner.getValue().equals(userId)) {
        owner.getKey().end();
        ended++;
      }
    }
    if (ended > 0) {
      LOG.info("Ended " + ended + " event streams of a disconnected user");
    }
  }

  private void forget(SseStream stream) {
    owners.remove(stream);
    streams.remove(stream);
    subscribers.removeIf(s -> s.stream == stream);
  }

  /**
   * Subscribes an open stream to notifications, after replaying what followed {@code lastEventId}
   * (with a {@code resync} event first when history no longer covers it).
   */
  public void subscribe(SseStream stream, Filter filter, Long lastEventId) {
    if (!sequence.isStarted()) {
      // No notification seen since this node started: the replay needs to know where live is.
      try {
        NotificationLog head = broker.notificationsAfter(0, 0);
        sequence.start(head.epoch(), head.latestId());
      } catch (RuntimeException e) {
        LOG.fine(() -> "The notification head could not be read; it starts with the next: " + e);
      }
    }
    Subscriber subscriber = new Subscriber(stream, filter);
    synchronized (lock) {
      subscriber.replaying = lastEventId != null;
      subscriber.cursor = lastEventId == null ? Math.max(0, sequence.last()) : lastEventId;
    }
    subscribers.add(subscriber);
    if (stream.isClosed()) {
      subscribers.remove(subscriber);
      return;
    }
    if (lastEventId != null) {
      nextPage(subscriber);
    }
  }

  /** Reads a subscriber's next replay page (off every lock), once its stream has room for it. */
  private void nextPage(Subscriber subscriber) {
    long after;
    synchronized (lock) {
      if (!subscriber.replaying || subscriber.stream.isClosed()) {
        return;
      }
      after = subscriber.cursor;
    }
    if (subscriber.stream.queuedBytes() > settings.clientMaxQueuedBytes() / 2) {
      askForNextPage(subscriber);
      return;
    }
    NotificationLog page;
    try {
      page = broker.notificationsAfter(after, PAGE_NOTIFICATIONS, PAGE_BYTES);
    } catch (RuntimeException e) {
      LOG.fine(() -> "A replay page could not be read, retrying: " + e);
      workers
          .scheduler()
          .schedule(
              () -> workers.replays().execute(() -> nextPage(subscriber)),
              RETRY_MILLIS,
              TimeUnit.MILLISECONDS);
      return;
    }
    synchronized (lock) {
      if (subscriber.replaying && subscriber.cursor == after && !subscriber.stream.isClosed()) {
        replayPage(subscriber, page);
      }
    }
  }

  /** Under the lock: queues one page of a replay and a marker asking for the next; or ends it. */
  private void replayPage(Subscriber subscriber, NotificationLog page) {
    long cursor = subscriber.cursor;
    if (cursor + 1 < page.oldestId() || cursor > page.latestId()) {
      // History no longer holds what followed the cursor (or the cursor is from another history):
      // say so, then go on from the oldest kept.
      subscriber.resync(cursor, page.oldestId());
      subscriber.cursor = page.oldestId() - 1;
      askForNextPage(subscriber);
      return;
    }
    for (Notification n : page.notifications()) {
      if (n.id() > subscriber.cursor) {
        subscriber.cursor = n.id();
        if (subscriber.filter.matches(n)) {
          subscriber.stream.send(event(n));
        }
      }
    }
    boolean caughtUp = sequence.isStarted() && subscriber.cursor >= sequence.last();
    if (page.notifications().isEmpty() || caughtUp) {
      subscriber.replaying = false;
      return;
    }
    askForNextPage(subscriber);
  }

  private void askForNextPage(Subscriber subscriber) {
    subscriber.stream.mark(() -> workers.replays().execute(() -> nextPage(subscriber)));
  }

  /** From the broker: the sequence starts at the first one this node sees. */
  void onNotification(Notification notification) {
    sequence.start(notification.epoch(), notification.id() - 1);
    sequence.offer(notification);
  }

  /** What the sequencer hands on, in id order, under the lock. */
  private final class Sink implements Sequencer.Sink<Notification> {

    @Override
    public void deliver(Notification notification) {
      SseEvent event = null;
      for (Subscriber subscriber : subscribers) {
        if (subscriber.filter.matches(notification)) {
          if (event == null) {
            event = event(notification); // encoded once, for every matching subscriber
          }
          subscriber.offer(notification, event);
        }
      }
    }

    /** The ids went back (Redis lost them): every stream is told, then follows the new ids. */
    @Override
    public void reset(String epoch, long latest) {
      for (Subscriber subscriber : subscribers) {
        subscriber.resync(subscriber.cursor, 1);
        subscriber.cursor = 0;
        subscriber.replaying = false;
      }
    }

    @Override
    public void lost(long from, long to, long latest) {
      for (Subscriber subscriber : subscribers) {
        if (!subscriber.replaying && subscriber.cursor < to) {
          subscriber.resync(from - 1, to + 1);
          subscriber.cursor = to;
        }
      }
    }
  }

  private static SseEvent event(Notification n) {
    return SseEvent.of(Long.toString(n.id()), n.event(), NotificationJson.of(n));
  }

  /** Pings idle streams, and cuts those whose client has not read for the write timeout. */
  void heartbeat(long periodMillis) {
    long now = System.nanoTime();
    long period = TimeUnit.MILLISECONDS.toNanos(periodMillis);
    long timeout = TimeUnit.SECONDS.toNanos(settings.writeTimeoutSeconds());
    for (SseStream stream : streams) {
      if (stream.stalledFor(now, timeout)) {
        LOG.fine("Cutting an event stream whose client has not read for the write timeout");
        stream.cut();
      } else if (stream.idleNanos(now) >= period) {
        stream.send(SseEvent.PING);
        pinged.add(stream);
      }
    }
    if (!pinged.isEmpty()) {
      List<SseStream> probed = List.copyOf(pinged);
      pinged.clear();
      workers
          .scheduler()
          .schedule(() -> probed.forEach(s -> s.probe(true)), PROBE_MILLIS, TimeUnit.MILLISECONDS);
      workers
          .scheduler()
          .schedule(
              () -> probed.forEach(s -> s.probe(false)), 2 * PROBE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** How long after a heartbeat its write's failure (a gone client) is looked for. */
  static final long PROBE_MILLIS = 200;

  /** Streams the heartbeat just pinged; the heartbeat's own (one scheduler thread). */
  private final List<SseStream> pinged = new ArrayList<>();

  /** Sends an event to every stream in {@code targets} (the stats stream). */
  public static void sendAll(Set<SseStream> targets, SseEvent event) {
    targets.removeIf(SseStream::isClosed);
    targets.forEach(s -> s.send(event));
  }

  /** Ends every event stream (shutdown); clients reconnect elsewhere with Last-Event-ID. */
  public void closeAll() {
    new ArrayList<>(streams).forEach(SseStream::end);
  }

  /** Live event streams of this node (notifications and stats). */
  public int clientCount() {
    return streams.size();
  }

  /** SSE events written since start. */
  public long eventsOut() {
    return eventsOut.sum();
  }

  /** Event streams cut because their client stopped reading, since start. */
  public long cuts() {
    return cuts.sum();
  }
}
