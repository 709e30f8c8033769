package io.switchboard.broker.redis;

import io.switchboard.broker.Broker;
import io.switchboard.broker.ChatDraft;
import io.switchboard.broker.ChatMessage;
import io.switchboard.broker.HistoryLimits;
import io.switchboard.broker.Notification;
import io.switchboard.broker.NotificationDraft;
import io.switchboard.broker.NotificationLog;
import io.switchboard.broker.Published;
import io.switchboard.broker.RoomListener;
import io.switchboard.broker.RoomLog;
import io.switchboard.broker.RoomSummary;
import io.switchboard.broker.Signal;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Logger;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@link Broker} over Redis, for any number of nodes. Each room has three keys (offset, log, epoch)
 * and one channel; each operation on them is one Lua script (see {@link Scripts}). A node
 * subscribes only to the channels of rooms with local members, plus the notification channel.
 *
 * <p>Rooms idle for {@code roomTtlSeconds} are forgotten by Redis (and get a new epoch).
 */
public final class RedisBroker implements Broker {

  private static final Logger LOG = Logger.getLogger(RedisBroker.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  /** How long the epoch of a room that was only read (never written) is kept. */
  private static final int UNUSED_EPOCH_TTL_SECONDS = 86_400;

  private final RedisStore store;
  private final Keys keys;
  private final HistoryLimits limits;
  private final long roomTtlSeconds;
  private final Clock clock;
  private final ConcurrentHashMap<String, RoomListener> rooms = new ConcurrentHashMap<>();
  private final List<NotificationListener> notificationListeners = new CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<io.switchboard.broker.Command>> commandListeners =
      new CopyOnWriteArrayList<>();
  private final RedisSubscriber subscriber;
  private final PublishPipeline pipeline;
  private final java.util.concurrent.Executor resyncs;

  public RedisBroker(
      RedisStore store,
      String keyPrefix,
      HistoryLimits limits,
      long roomTtlSeconds,
      Clock clock,
      ThreadFactory threads,
      ScheduledExecutorService scheduler,
      java.util.concurrent.Executor resyncs) {
    this.store = store;
    this.resyncs = resyncs;
    this.keys = new Keys(keyPrefix);
    this.limits = limits;
    this.roomTtlSeconds = roomTtlSeconds;
    this.clock = clock;
    this.pipeline = new PublishPipeline(store, Scripts.PUBLISH, threads);
    this.subscriber =
        new RedisSubscriber(
            store,
            keys.controlChannel(),
            Set.of(keys.controlChannel(), keys.notificationChannel()),
            this::dispatch,
            this::resync,
            threads,
            scheduler);
  }

  Keys keys() {
    return keys;
  }

  RedisStore store() {
    return store;
  }

  private static String newEpoch() {
    byte[] bytes = new byte[4];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public Published publish(ChatDraft draft) {
    long timestamp = clock.millis();
    Object reply =
        store.call(
            j -> store.eval(j, Scripts.PUBLISH, publishKeys(draft), publishArgs(draft, timestamp)));
    store.accepting();
    return stored(draft, timestamp, reply);
  }

  /** Publishes through the pipeline: many messages of a busy node share one round trip. */
  @Override
  public CompletableFuture<Published> publishAsync(ChatDraft draft) {
    long timestamp = clock.millis();
    return pipeline
        .call(publishKeys(draft), publishArgs(draft, timestamp), dedupWindow(draft.dedupKey()) > 0)
        .thenApply(reply -> stored(draft, timestamp, reply));
  }

  private List<String> publishKeys(ChatDraft draft) {
    String room = draft.room();
    String dedup = dedupWindow(draft.dedupKey()) > 0 ? keys.dedup(room, draft.dedupKey()) : null;
    // Without a dedup key the script touches none: it is given the epoch key in its place (a
    // script declares every key it may touch, all in the room's slot).
    return List.of(
        keys.offset(room),
        keys.log(room),
        keys.epoch(room),
        keys.bytes(room),
        dedup == null ? keys.epoch(room) : dedup);
  }

  private int dedupWindow(String dedupKey) {
    return dedupKey == null ? 0 : limits.idempotencySeconds();
  }

  private List<String> publishArgs(ChatDraft draft, long timestamp) {
    String[] json = Codec.message(draft, timestamp);
    return List.of(
        Integer.toString(limits.messages()),
        json[0],
        json[1],
        keys.roomChannel(draft.room()),
        newEpoch(),
        Long.toString(roomTtlSeconds),
        Long.toString(limits.roomBytes()),
        Integer.toString(dedupWindow(draft.dedupKey())));
  }

  private static Published stored(ChatDraft draft, long timestamp, Object reply) {
    Scripts.Stored stored = Scripts.Stored.of(reply);
    boolean duplicate = stored.repeat();
    return new Published(
        new ChatMessage(
            draft.room(),
            stored.epoch(),
            stored.sequence(),
            draft.id(),
            draft.user(),
            draft.userId(),
            draft.message(),
            duplicate ? 0 : timestamp),
        duplicate);
  }

  @Override
  public RoomLog read(String room, long after, int limit, int maxBytes) {
    return readLog(room, after, limit, maxBytes, "after");
  }

  @Override
  public RoomLog tail(String room, int limit, int maxBytes) {
    return readLog(room, 0, limit, maxBytes, "tail");
  }

  @Override
  public RoomLog open(String room) {
    return readLog(room, 0, 0, 0, "open");
  }

  private RoomLog readLog(String room, long after, int limit, int maxBytes, String mode) {
    Scripts.Slice slice =
        store.call(
            j ->
                Scripts.Slice.of(
                    store.eval(
                        j,
                        Scripts.READ,
                        List.of(keys.offset(room), keys.log(room), keys.epoch(room)),
                        List.of(
                            Long.toString(Math.max(-1, after)),
                            Integer.toString(limit),
                            mode,
                            newEpoch(),
                            Integer.toString(UNUSED_EPOCH_TTL_SECONDS),
                            Integer.toString(maxBytes)))));
    List<ChatMessage> messages = new ArrayList<>();
    for (String item : slice.items()) {
      messages.add(Codec.message(item, slice.epoch()));
    }
    return new RoomLog(room, slice.epoch(), slice.latest(), slice.oldest(), messages);
  }

  @Override
  public String renewEpoch(String room, String epoch) {
    return renew(keys.epoch(room), epoch);
  }

  @Override
  public String renewNotificationEpoch(String epoch) {
    return renew(keys.notificationEpoch(), epoch);
  }

  private String renew(String key, String epoch) {
    String renewed =
        store.call(
            j ->
                RedisStore.text(
                    store.eval(j, Scripts.RENEW_EPOCH, List.of(key), List.of(epoch, newEpoch()))));
    LOG.info(() -> "Epoch " + epoch + " of " + key + " replaced by " + renewed);
    return renewed;
  }

  @Override
  public void subscribe(String room, RoomListener listener) {
    rooms.put(room, listener);
    subscriber.subscribe(keys.roomChannel(room));
  }

  @Override
  public void unsubscribe(String room) {
    rooms.remove(room);
    subscriber.unsubscribe(keys.roomChannel(room));
  }

  @Override
  public void signal(Signal signal) {
    store.call(j -> j.publish(keys.roomChannel(signal.room()), "s" + Codec.signal(signal)));
  }

  @Override
  public List<RoomSummary> rooms() {
    return store.call(
        j -> {
          List<RoomSummary> out = new ArrayList<>();
          String match = keys.offset("*");
          String cursor = ScanParams.SCAN_POINTER_START;
          int guard = 0;
          do {
            ScanResult<String> page = j.scan(cursor, new ScanParams().match(match).count(500));
            for (String key : page.getResult()) {
              String room = keys.roomOfOffset(key);
              String latest = j.get(key);
              if (latest != null) {
                out.add(new RoomSummary(room, Long.parseLong(latest)));
              }
            }
            cursor = page.getCursor();
          } while (!cursor.equals(ScanParams.SCAN_POINTER_START) && ++guard < 1000);
          return out;
        });
  }

  @Override
  public Notification publish(NotificationDraft draft) {
    long timestamp = clock.millis();
    String[] json = Codec.notification(draft, timestamp);
    int window = dedupWindow(draft.dedupKey());
    Scripts.Stored stored =
        store.call(
            j ->
                Scripts.Stored.of(
                    store.eval(
                        j,
                        Scripts.NOTIFY,
                        List.of(
                            keys.notificationSeq(),
                            keys.notificationLog(),
                            keys.notificationBytes(),
                            window > 0
                                ? keys.notificationDedup(draft.dedupKey())
                                : keys.notificationSeq(),
                            keys.notificationEpoch()),
                        List.of(
                            Integer.toString(limits.notifications()),
                            json[0],
                            json[1],
                            keys.notificationChannel(),
                            Long.toString(limits.notificationBytes()),
                            Integer.toString(window),
                            newEpoch()))));
    store.accepting();
    return new Notification(
        stored.sequence(),
        draft.topic(),
        draft.event(),
        draft.data(),
        draft.user(),
        timestamp,
        stored.epoch());
  }

  @Override
  public NotificationLog notificationsAfter(long afterId, int limit, int maxBytes) {
    Scripts.Slice slice =
        store.call(
            j ->
                Scripts.Slice.of(
                    store.eval(
                        j,
                        Scripts.READ_NOTIFICATIONS,
                        List.of(
                            keys.notificationSeq(),
                            keys.notificationLog(),
                            keys.notificationEpoch()),
                        List.of(
                            Long.toString(Math.max(-1, afterId)),
                            Integer.toString(limit),
                            Integer.toString(maxBytes),
                            newEpoch()))));
    List<Notification> out = new ArrayList<>();
    for (String item : slice.items()) {
      out.add(Codec.notification(item, slice.epoch()));
    }
    return new NotificationLog(slice.latest(), slice.oldest(), out, slice.epoch());
  }

  @Override
  public long command(io.switchboard.broker.Command command) {
    return store.call(j -> j.publish(keys.controlChannel(), "c" + Codec.command(command)));
  }

  @Override
  public void subscribeCommands(
      java.util.function.Consumer<io.switchboard.broker.Command> listener) {
    commandListeners.add(listener);
  }

  @Override
  public void subscribeNotifications(NotificationListener listener) {
    notificationListeners.add(listener);
  }

  @Override
  public boolean isAvailable() {
    return subscriber.isHealthy() && store.ping();
  }

  @Override
  public java.util.OptionalLong subscriptionReconnects() {
    return java.util.OptionalLong.of(reconnects());
  }

  /** Times the subscription was made again after a failure. */
  public long reconnects() {
    return Math.max(0, subscriber.reconnects() - 1);
  }

  /** The subscription (tests in this package reach its hooks). */
  RedisSubscriber subscriber() {
    return subscriber;
  }

  /** Cuts the subscription, as a network failure would (tests and operators). */
  public void cutSubscription() {
    subscriber.cut();
  }

  private void dispatch(String channel, String payload) {
    if (payload.isEmpty()) {
      return;
    }
    char kind = payload.charAt(0);
    if (kind == 'n') {
      int first = payload.indexOf('|');
      int second = payload.indexOf('|', first + 1);
      Notification n =
          Codec.notification(payload.substring(second + 1), payload.substring(first + 1, second));
      notificationListeners.forEach(l -> l.accept(n));
      return;
    }
    if (kind == 'c' && channel.equals(keys.controlChannel())) {
      io.switchboard.broker.Command command = Codec.command(payload.substring(1));
      if (command != null) {
        commandListeners.forEach(l -> l.accept(command));
      }
      return;
    }
    String room = keys.roomOfChannel(channel);
    RoomListener listener = room == null ? null : rooms.get(room);
    if (listener == null) {
      return;
    }
    if (kind == 'm') {
      int first = payload.indexOf('|');
      int second = payload.indexOf('|', first + 1);
      listener.onMessage(
          Codec.message(payload.substring(second + 1), payload.substring(first + 1, second)));
    } else if (kind == 's') {
      listener.onSignal(Codec.signal(payload.substring(1)));
    }
  }

  /** Asks every listener to catch up (and restore its presence), as after an outage. */
  public void resyncAll() {
    resync();
  }

  /**
   * After a resubscription: every listener catches up from history, in parallel on the resync pool,
   * never on the subscriber's thread (which delivers everything else meanwhile).
   */
  private void resync() {
    rooms.values().forEach(l -> resyncs.execute(l::onResync));
    notificationListeners.forEach(l -> resyncs.execute(l::onResync));
  }

  @Override
  public void close() {
    pipeline.close();
    subscriber.close();
    rooms.clear();
    notificationListeners.clear();
    LOG.fine("Redis broker closed");
  }
}
