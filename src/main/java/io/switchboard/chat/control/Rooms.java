package io.switchboard.chat.control;

import io.switchboard.broker.Broker;
import io.switchboard.broker.Presence;
import io.switchboard.broker.Signal;
import io.switchboard.chat.entity.ClientFrame;
import io.switchboard.config.Settings;
import io.switchboard.connection.Connection;
import io.switchboard.platform.Workers;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The rooms that have members (or long-poll waiters) on this node: the room-to-connections half of
 * the room index ({@link Connection#rooms()} is the other half). A room's feed exists while it is
 * used and is dropped, with its broker subscription, when its last user leaves.
 */
@ApplicationScoped
public class Rooms {

  @Inject Broker broker;
  @Inject Presence presence;
  @Inject Settings settings;
  @Inject Workers workers;

  private final ConcurrentHashMap<String, RoomFeed> feeds = new ConcurrentHashMap<>();
  private Replays replays;

  @PostConstruct
  void start() {
    replays = new Replays(workers.replays(), workers.scheduler(), settings.clientMaxQueuedBytes());
  }

  private RoomFeed feed(String room) {
    return feeds.computeIfAbsent(room, r -> new RoomFeed(r, broker, presence, replays));
  }

  /**
   * Joins the connection to the room (or answers {@code joined} again if it is already in). Joins
   * and leaves of one connection are serialized, and a closed connection joins nothing, so that a
   * close racing with a join never leaves a member behind.
   */
  public void join(Connection connection, String room, ClientFrame.Join request) {
    RoomFeed.Joined joined;
    synchronized (connection.rooms()) {
      if (!connection.isOpen()) {
        return;
      }
      if (connection.rooms().contains(room)) {
        feed(room).rejoin(connection, request);
        return;
      }
      joined = withFeed(room, feed -> feed.join(connection, request));
      connection.rooms().add(room);
    }
    if (joined.firstOfUser()) {
      broker.signal(
          new Signal(
              room,
              Signal.Kind.JOIN,
              connection.identity().user(),
              connection.identity().userId()));
    }
  }

  /** Leaves one room; false when the connection was not in it. */
  public boolean leave(Connection connection, String room) {
    boolean lastOfUser;
    synchronized (connection.rooms()) {
      if (!connection.rooms().remove(room)) {
        return false;
      }
      RoomFeed feed = feeds.get(room);
      if (feed == null) {
        return true;
      }
      lastOfUser = feed.leave(connection);
      dropIfClosed(room, feed);
    }
    if (lastOfUser) {
      broker.signal(
          new Signal(
              room,
              Signal.Kind.LEAVE,
              connection.identity().user(),
              connection.identity().userId()));
    }
    return true;
  }

  /** Leaves every room of a closed connection. */
  public void leaveAll(Connection connection) {
    List<String> joined;
    synchronized (connection.rooms()) {
      joined = List.copyOf(connection.rooms());
    }
    for (String room : joined) {
      try {
        leave(connection, room);
      } catch (RuntimeException e) {
        // The broker is unreachable: presence entries of this node expire on their own.
        connection.rooms().remove(room);
      }
    }
  }

  /**
   * Completes when the room's next message arrives on this node (long polling). The caller must
   * {@link #stopWaiting} with the same future.
   */
  public CompletableFuture<Void> awaitMessage(String room) {
    return withFeed(room, RoomFeed::await);
  }

  public void stopWaiting(String room, CompletableFuture<Void> waiter) {
    RoomFeed feed = feeds.get(room);
    if (feed != null) {
      feed.forget(waiter);
      dropIfClosed(room, feed);
    }
  }

  /** Rooms with at least one member connected to this node. */
  public int localRoomCount() {
    int count = 0;
    for (RoomFeed feed : feeds.values()) {
      if (feed.memberCount() > 0) {
        count++;
      }
    }
    return count;
  }

  /** Runs {@code action} on the room's live feed, replacing a feed that closed meanwhile. */
  private <T> T withFeed(String room, Function<RoomFeed, T> action) {
    while (true) {
      RoomFeed feed = feed(room);
      T result = action.apply(feed);
      if (result != null && !(result instanceof RoomFeed.Joined j && j.retry())) {
        return result;
      }
      dropIfClosed(room, feed);
    }
  }

  private void dropIfClosed(String room, RoomFeed feed) {
    if (feed.isClosed()) {
      feeds.remove(room, feed);
    }
  }
}
