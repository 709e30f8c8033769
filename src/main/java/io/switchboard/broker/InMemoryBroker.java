package io.switchboard.broker;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * {@link Broker} for a single node: histories live in this JVM and are lost with it (each room gets
 * a new epoch when the node starts). Do not put two of these behind one load balancer.
 *
 * <p>What it keeps is bounded (see {@link HistoryLimits}): per room in messages and bytes, and for
 * all rooms together in rooms and bytes. Past the room or total bound, the least recently used
 * rooms without a subscriber are forgotten, and come back with a new epoch; if that is not enough,
 * the room being written gives up its own oldest messages. Reads create nothing.
 */
public final class InMemoryBroker implements Broker {

  private final HistoryLimits limits;
  private final Clock clock;
  private final ConcurrentHashMap<String, RoomState> rooms = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RoomListener> listeners = new ConcurrentHashMap<>();
  private final List<NotificationListener> notificationListeners = new CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<io.switchboard.broker.Command>> commandListeners =
      new CopyOnWriteArrayList<>();
  private final Ring<Notification> notifications;
  private final String notificationEpoch = newEpoch();
  private final Dedup notificationDedup = new Dedup(HistoryLimits.MAX_DEDUP_KEYS_PER_ROOM);
  private final AtomicLong totalBytes = new AtomicLong();
  private long lastNotificationId;

  /** A logical clock for least-recently-used eviction. */
  private final AtomicLong uses = new AtomicLong();

  public InMemoryBroker(HistoryLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
    this.notifications =
        new Ring<>(
            limits.notifications(),
            limits.notificationBytes(),
            Notification::id,
            Notification::heapBytes);
  }

  /** One room's history: a ring of its last messages, bounded in count and bytes. */
  private static final class RoomState {
    final String epoch = newEpoch();
    final Ring<ChatMessage> history;
    final Dedup dedup = new Dedup(HistoryLimits.MAX_DEDUP_KEYS_PER_ROOM);
    long latest;
    volatile long lastUsed;

    RoomState(HistoryLimits limits) {
      this.history =
          new Ring<>(
              limits.messages(), limits.roomBytes(), ChatMessage::offset, ChatMessage::heapBytes);
    }

    synchronized RoomLog slice(String room, Function<Ring<ChatMessage>, List<ChatMessage>> pick) {
      return new RoomLog(
          room, epoch, latest, history.firstSequence(latest + 1), pick.apply(history));
    }
  }

  private static String newEpoch() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** The room's state, made if it has none (writes and joins). */
  private RoomState state(String room) {
    RoomState state = rooms.get(room);
    if (state == null) {
      state = rooms.computeIfAbsent(room, r -> new RoomState(limits));
      state.lastUsed = uses.incrementAndGet();
      if (rooms.size() > limits.maxRooms()) {
        evictIdleRooms(room, rooms.size() - limits.maxRooms(), 0);
      }
    }
    state.lastUsed = uses.incrementAndGet();
    return state;
  }

  /**
   * Forgets idle rooms (no subscriber, least recently used first) until {@code rooms} were
   * forgotten or {@code bytes} freed, whichever asks for more; never {@code keep}.
   */
  private void evictIdleRooms(String keep, int roomsToForget, long bytes) {
    List<Map.Entry<String, RoomState>> idle =
        rooms.entrySet().stream()
            .filter(e -> !e.getKey().equals(keep) && !listeners.containsKey(e.getKey()))
            .sorted(Comparator.comparingLong(e -> e.getValue().lastUsed))
            .toList();
    int forgotten = 0;
    long freed = 0;
    for (Map.Entry<String, RoomState> entry : idle) {
      if (forgotten >= roomsToForget && freed >= bytes) {
        return;
      }
      if (rooms.remove(entry.getKey(), entry.getValue())) {
        long held;
        synchronized (entry.getValue()) {
          held = entry.getValue().history.bytes();
        }
        totalBytes.addAndGet(-held);
        freed += held;
        forgotten++;
      }
    }
  }

  @Override
  public Published publish(ChatDraft draft) {
    RoomState state = state(draft.room());
    ChatMessage message;
    long now = clock.millis();
    synchronized (state) {
      long original = state.dedup.find(draft.dedupKey(), now);
      if (original > 0) {
        return new Published(
            new ChatMessage(
                draft.room(),
                state.epoch,
                original,
                draft.id(),
                draft.user(),
                draft.userId(),
                draft.message(),
                0),
            true);
      }
      state.latest++;
      message =
          new ChatMessage(
              draft.room(),
              state.epoch,
              state.latest,
              draft.id(),
              draft.user(),
              draft.userId(),
              draft.message(),
              now);
      totalBytes.addAndGet(state.history.add(message));
      state.dedup.remember(draft.dedupKey(), message.offset(), now + windowMillis());
    }
    long over = totalBytes.get() - limits.totalBytes();
    if (over > 0) {
      // Idle rooms go first (no lock held: eviction takes their locks); if they cannot make room,
      // the room being written gives up its own oldest messages.
      evictIdleRooms(draft.room(), 0, over);
      synchronized (state) {
        while (totalBytes.get() > limits.totalBytes() && state.history.size() > 1) {
          totalBytes.addAndGet(-state.history.dropOldest());
        }
      }
    }
    // Outside the lock: listeners may read history (gap filling) without a lock-order problem;
    // two concurrent publishers may therefore deliver out of order, which listeners handle.
    RoomListener listener = listeners.get(draft.room());
    if (listener != null) {
      listener.onMessage(message);
    }
    return new Published(message, false);
  }

  private long windowMillis() {
    return limits.idempotencySeconds() * 1000L;
  }

  /** A read of a room that does not exist: empty, with an epoch nobody keeps (nothing is made). */
  /**
   * Dedup keys remembered for the idempotency window, oldest first, at most {@code capacity} (past
   * it the oldest are forgotten early). Not thread-safe; the owner's lock guards it.
   */
  private static final class Dedup {
    private final int capacity;
    private final java.util.LinkedHashMap<String, long[]> keys = new java.util.LinkedHashMap<>();

    Dedup(int capacity) {
      this.capacity = capacity;
    }

    /** The sequence number the key took, or 0 when it took none (or has expired). */
    long find(String key, long now) {
      if (key == null) {
        return 0;
      }
      expire(now);
      long[] entry = keys.get(key);
      return entry == null ? 0 : entry[0];
    }

    void remember(String key, long sequence, long expiresAt) {
      if (key == null || capacity == 0) {
        return;
      }
      keys.put(key, new long[] {sequence, expiresAt});
      if (keys.size() > capacity) {
        keys.remove(keys.keySet().iterator().next());
      }
    }

    private void expire(long now) {
      var entries = keys.values().iterator();
      while (entries.hasNext() && entries.next()[1] <= now) {
        entries.remove();
      }
    }
  }

  private static RoomLog none(String room) {
    return new RoomLog(room, newEpoch(), 0, 1, List.of());
  }

  @Override
  public RoomLog read(String room, long after, int limit, int maxBytes) {
    RoomState state = rooms.get(room);
    return state == null
        ? none(room)
        : state.slice(room, ring -> ring.after(after, limit, maxBytes));
  }

  @Override
  public RoomLog tail(String room, int limit, int maxBytes) {
    RoomState state = rooms.get(room);
    return state == null ? none(room) : state.slice(room, ring -> ring.last(limit, maxBytes));
  }

  @Override
  public RoomLog open(String room) {
    return state(room).slice(room, ring -> List.of());
  }

  /** A node's own history never goes back: the epoch stays. */
  @Override
  public String renewEpoch(String room, String epoch) {
    RoomState state = rooms.get(room);
    return state == null ? epoch : state.epoch;
  }

  @Override
  public String renewNotificationEpoch(String epoch) {
    return notificationEpoch;
  }

  @Override
  public void subscribe(String room, RoomListener listener) {
    listeners.put(room, listener);
  }

  @Override
  public void unsubscribe(String room) {
    listeners.remove(room);
  }

  @Override
  public void signal(Signal signal) {
    RoomListener listener = listeners.get(signal.room());
    if (listener != null) {
      listener.onSignal(signal);
    }
  }

  @Override
  public List<RoomSummary> rooms() {
    List<RoomSummary> out = new ArrayList<>();
    rooms.forEach(
        (room, state) -> {
          long latest;
          synchronized (state) {
            latest = state.latest;
          }
          if (latest > 0) {
            out.add(new RoomSummary(room, latest));
          }
        });
    return out;
  }

  /** Rooms this broker keeps state for. */
  int knownRooms() {
    return rooms.size();
  }

  /** Bytes of messages kept for all rooms (the total bound's measure). */
  long historyBytes() {
    return totalBytes.get();
  }

  @Override
  public Notification publish(NotificationDraft draft) {
    Notification notification;
    long now = clock.millis();
    synchronized (notifications) {
      long original = notificationDedup.find(draft.dedupKey(), now);
      if (original > 0) {
        return new Notification(
            original,
            draft.topic(),
            draft.event(),
            draft.data(),
            draft.user(),
            0,
            notificationEpoch);
      }
      notification =
          new Notification(
              ++lastNotificationId,
              draft.topic(),
              draft.event(),
              draft.data(),
              draft.user(),
              now,
              notificationEpoch);
      notifications.add(notification);
      notificationDedup.remember(draft.dedupKey(), notification.id(), now + windowMillis());
    }
    notificationListeners.forEach(l -> l.accept(notification));
    return notification;
  }

  @Override
  public NotificationLog notificationsAfter(long afterId, int limit, int maxBytes) {
    synchronized (notifications) {
      return new NotificationLog(
          lastNotificationId,
          notifications.firstSequence(lastNotificationId + 1),
          notifications.after(afterId, limit, maxBytes),
          notificationEpoch);
    }
  }

  @Override
  public void subscribeNotifications(NotificationListener listener) {
    notificationListeners.add(listener);
  }

  @Override
  public long command(Command command) {
    commandListeners.forEach(l -> l.accept(command));
    return 1;
  }

  @Override
  public void subscribeCommands(java.util.function.Consumer<Command> listener) {
    commandListeners.add(listener);
  }

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public void close() {
    listeners.clear();
    notificationListeners.clear();
  }
}
