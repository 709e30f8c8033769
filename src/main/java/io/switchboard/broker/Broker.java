package io.switchboard.broker;

import java.util.List;
import java.util.function.Consumer;

/**
 * The seam between one node and the state its rooms share with every other node: room histories,
 * offsets, epochs, the fan-out between nodes, and the notification stream.
 *
 * <p>Histories are bounded in messages and in bytes ({@link HistoryLimits}); reads are bounded in
 * bytes too, so that no caller materializes more than it asked to hold.
 *
 * <h2>Offsets and epochs</h2>
 *
 * The broker alone assigns offsets. A room's first message has offset 1 and every further message
 * the next integer, across all nodes; no two messages of a room ever share an offset. Each room has
 * an epoch, an opaque string that changes when the room's history is lost (an in-memory node
 * restarted, Redis lost its data, an idle room was evicted). Offsets of different epochs must never
 * be compared. The same holds for notification ids, which strictly increase across the cluster.
 *
 * <h2>Publishing</h2>
 *
 * {@link #publish(ChatDraft)} stores the message in the room's bounded history before anyone can
 * receive it, then hands it to every node subscribed to the room. When it returns, the message is
 * durable in the broker's sense (in memory: this node; Redis: the Redis server), so a client may be
 * acknowledged. When it throws {@link BrokerUnavailableException}, nothing was stored and nothing
 * will be delivered; the sender must be told, never acknowledged.
 *
 * <h2>Idempotency</h2>
 *
 * A draft whose dedup key the room already took within the idempotency window ({@link
 * HistoryLimits#idempotencySeconds()}, in the same epoch) is not stored or delivered again: the
 * publish answers the original offset, marked {@link Published#duplicate()}. So a publish whose
 * outcome was lost (a Redis reply that timed out after the script ran) can be made again, by the
 * broker or by the sender, without a second copy. The same holds for notifications.
 *
 * <h2>Delivery</h2>
 *
 * Delivery to a {@link RoomListener} is at most once and in no guaranteed order: a message may be
 * late, out of order relative to another, or missing (a dropped Redis subscription). Listeners
 * therefore order by offset and fill a gap from {@link #read}; everything delivered is in history
 * first, so a gap can always be filled while the history still holds it. Signals (typing, presence)
 * are ephemeral: never stored, lost if no node is listening.
 *
 * <h2>Failure</h2>
 *
 * Reads and publishes throw {@link BrokerUnavailableException} while the shared store is
 * unreachable; subscriptions survive an outage and the broker calls {@link RoomListener#onResync()}
 * once it is back, so listeners catch up from history.
 *
 * <p>Implementations: {@link InMemoryBroker} (one node only) and the Redis one (many nodes).
 */
public interface Broker extends AutoCloseable {

  /** Stores the message (next offset, server timestamp) and publishes it to every node. */
  Published publish(ChatDraft draft);

  /**
   * {@link #publish} without waiting: the future completes when the message is stored (or fails,
   * with {@link BrokerUnavailableException} when the store cannot take it). Calls of one thread
   * complete in the order they were made. By default, publishes on the calling thread.
   */
  default java.util.concurrent.CompletableFuture<Published> publishAsync(ChatDraft draft) {
    try {
      return java.util.concurrent.CompletableFuture.completedFuture(publish(draft));
    } catch (RuntimeException e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Kept messages with an offset greater than {@code after}, oldest first: at most {@code limit},
   * and no more than {@code maxBytes} of stored messages (but at least one, when there is one). A
   * read creates nothing: a room that never existed reads as empty, with an epoch nobody keeps.
   */
  RoomLog read(String room, long after, int limit, int maxBytes);

  /** {@link #read(String, long, int, int)} without a byte bound. */
  default RoomLog read(String room, long after, int limit) {
    return read(room, after, limit, Integer.MAX_VALUE);
  }

  /**
   * The last {@code limit} kept messages, oldest first, no more than {@code maxBytes} of them (the
   * newest are kept; at least one). Creates nothing.
   */
  RoomLog tail(String room, int limit, int maxBytes);

  /** {@link #tail(String, int, int)} without a byte bound. */
  default RoomLog tail(String room, int limit) {
    return tail(room, limit, Integer.MAX_VALUE);
  }

  /**
   * The room's head (latest offset, oldest kept offset, epoch, no messages), giving the room an
   * epoch first if it has none: for a join, whose client will resume with that epoch.
   */
  RoomLog open(String room);

  /**
   * Starts delivering the room's messages and signals to this node's listener (one per room per
   * node). When this returns, every later publish reaches the listener.
   */
  void subscribe(String room, RoomListener listener);

  /**
   * Gives the room a new epoch if it still has {@code epoch}: for a history found set back under
   * its epoch (a restored snapshot), so that no client compares the new offsets with the old.
   * Returns the room's epoch afterwards.
   */
  String renewEpoch(String room, String epoch);

  /** {@link #renewEpoch} for the notification sequence. */
  String renewNotificationEpoch(String epoch);

  /** Stops delivering the room to this node. */
  void unsubscribe(String room);

  /** Sends an ephemeral event to every node subscribed to its room. */
  void signal(Signal signal);

  /** Rooms that have history, cluster-wide. */
  List<RoomSummary> rooms();

  /**
   * Stores the notification (next id, server timestamp) and publishes it to every node; for a
   * repeat of its dedup key, the original's id, and nothing is stored or delivered.
   */
  Notification publish(NotificationDraft draft);

  /**
   * Kept notifications with an id greater than {@code afterId}, oldest first: at most {@code
   * limit}, and no more than {@code maxBytes} of them (at least one, when there is one).
   */
  NotificationLog notificationsAfter(long afterId, int limit, int maxBytes);

  /** {@link #notificationsAfter(long, int, int)} without a byte bound. */
  default NotificationLog notificationsAfter(long afterId, int limit) {
    return notificationsAfter(afterId, limit, Integer.MAX_VALUE);
  }

  /** Delivers every notification to this node's listener, with the same guarantees as rooms. */
  void subscribeNotifications(NotificationListener listener);

  /**
   * Sends the command to every node, this one included.
   *
   * @return how many nodes received it (with Redis, the subscriptions PUBLISH reached)
   * @throws BrokerUnavailableException when it could not be sent
   */
  long command(Command command);

  /** Delivers every command sent to the cluster; the listener must not block. */
  void subscribeCommands(Consumer<Command> listener);

  /** Whether the shared store is reachable now (readiness). */
  boolean isAvailable();

  /**
   * How many times the shared subscription was made again after a failure; empty for a broker that
   * has none (in memory).
   */
  default java.util.OptionalLong subscriptionReconnects() {
    return java.util.OptionalLong.empty();
  }

  @Override
  void close();

  /** Receives the notification stream of the cluster. */
  interface NotificationListener extends Consumer<Notification> {

    /** The broker may have missed notifications; catch up from history. */
    default void onResync() {}
  }
}
