package io.switchboard.broker;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * {@link Broker} for a single node: histories live in this JVM and are lost with it (each room gets
 * a new epoch when the node starts). Do not put two of these behind one load balancer.
 *
 * <p>The number of rooms kept is bounded: past {@code maxRooms}, the least recently used rooms
 * without a subscriber are forgotten, and come back with a new epoch.
 */
public final class InMemoryBroker implements Broker {

  private final int historySize;
  private final int maxRooms;
  private final Clock clock;
  private final ConcurrentHashMap<String, RoomState> rooms = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RoomListener> listeners = new ConcurrentHashMap<>();
  private final List<NotificationListener> notificationListeners = new CopyOnWriteArrayList<>();
  private final Ring<Notification> notifications;
  private long lastNotificationId;

  /** A logical clock for least-recently-used eviction. */
  private final AtomicLong uses = new AtomicLong();

  public InMemoryBroker(int historySize, int notificationHistory, int maxRooms, Clock clock) {
    this.historySize = historySize;
    this.maxRooms = maxRooms;
    this.clock = clock;
    this.notifications = new Ring<>(notificationHistory, Notification::id);
  }

  /** One room's history: a ring of the last {@code historySize} messages. */
  private static final class RoomState {
    final String epoch = UUID.randomUUID().toString().substring(0, 8);
    final Ring<ChatMessage> history;
    long latest;
    volatile long lastUsed;

    RoomState(int capacity) {
      this.history = new Ring<>(capacity, ChatMessage::offset);
    }

    synchronized RoomLog slice(String room, Function<Ring<ChatMessage>, List<ChatMessage>> pick) {
      return new RoomLog(
          room, epoch, latest, history.firstSequence(latest + 1), pick.apply(history));
    }
  }

  private RoomState state(String room) {
    RoomState state = rooms.get(room);
    if (state == null) {
      state = rooms.computeIfAbsent(room, r -> new RoomState(historySize));
      state.lastUsed = uses.incrementAndGet();
      if (rooms.size() > maxRooms) {
        evictIdleRooms(room);
      }
    }
    state.lastUsed = uses.incrementAndGet();
    return state;
  }

  private void evictIdleRooms(String keep) {
    int excess = rooms.size() - maxRooms;
    if (excess <= 0) {
      return;
    }
    rooms.entrySet().stream()
        .filter(e -> !e.getKey().equals(keep) && !listeners.containsKey(e.getKey()))
        .sorted(Comparator.comparingLong(e -> e.getValue().lastUsed))
        .limit(excess)
        .map(e -> e.getKey())
        .toList()
        .forEach(rooms::remove);
  }

  @Override
  public ChatMessage publish(ChatDraft draft) {
    RoomState state = state(draft.room());
    ChatMessage message;
    synchronized (state) {
      state.latest++;
      message =
          new ChatMessage(
              draft.room(),
              state.latest,
              draft.id(),
              draft.user(),
              draft.userId(),
              draft.message(),
              clock.millis());
      state.history.add(message);
    }
    // Outside the lock: listeners may read history (gap filling) without a lock-order problem;
    // two concurrent publishers may therefore deliver out of order, which listeners handle.
    RoomListener listener = listeners.get(draft.room());
    if (listener != null) {
      listener.onMessage(message);
    }
    return message;
  }

  @Override
  public RoomLog read(String room, long after, int limit) {
    return state(room).slice(room, ring -> ring.after(after, limit));
  }

  @Override
  public RoomLog tail(String room, int limit) {
    return state(room).slice(room, ring -> ring.last(limit));
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

  @Override
  public Notification publish(NotificationDraft draft) {
    Notification notification;
    synchronized (notifications) {
      notification =
          new Notification(
              ++lastNotificationId,
              draft.topic(),
              draft.event(),
              draft.data(),
              draft.user(),
              clock.millis());
      notifications.add(notification);
    }
    notificationListeners.forEach(l -> l.accept(notification));
    return notification;
  }

  @Override
  public NotificationLog notificationsAfter(long afterId, int limit) {
    synchronized (notifications) {
      return new NotificationLog(
          lastNotificationId,
          notifications.firstSequence(lastNotificationId + 1),
          notifications.after(afterId, limit));
    }
  }

  @Override
  public void subscribeNotifications(NotificationListener listener) {
    notificationListeners.add(listener);
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
