package io.switchboard.chat.control;

import io.switchboard.broker.Broker;
import io.switchboard.broker.ChatMessage;
import io.switchboard.broker.Member;
import io.switchboard.broker.Presence;
import io.switchboard.broker.RoomListener;
import io.switchboard.broker.RoomLog;
import io.switchboard.broker.RoomMembers;
import io.switchboard.broker.Signal;
import io.switchboard.chat.entity.ClientFrame;
import io.switchboard.chat.entity.ServerFrames;
import io.switchboard.connection.Connection;
import io.switchboard.connection.SharedFrame;
import io.switchboard.platform.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * One room on this node: its local members and the order in which they receive the room's messages.
 *
 * <p>The broker may deliver late, twice or out of order; the feed delivers each offset once, in
 * order, and fills a gap from history. Each member also has a cursor (the last offset it was sent),
 * so a member that joined with a history replay never receives a message twice, whatever is still
 * in flight. Everything runs under the feed's lock, which only ever queues frames: the writes
 * happen on the members' own writers.
 */
final class RoomFeed implements RoomListener {

  private static final Logger LOG = Logger.getLogger(RoomFeed.class.getName());
  static final int MAX_MEMBER_NAMES = 100;

  private final String room;
  private final Broker broker;
  private final Presence presence;
  private final int historySize;
  private final Map<String, Membership> members = new HashMap<>();
  private final List<CompletableFuture<Void>> waiters = new ArrayList<>();

  /** The last offset delivered to this node's members; -1 until subscribed. */
  private long last = -1;

  private boolean closed;

  private static final class Membership {
    final Connection connection;
    long cursor;

    Membership(Connection connection, long cursor) {
      this.connection = connection;
      this.cursor = cursor;
    }
  }

  /** The outcome of a join, for the caller to finish outside the lock. */
  record Joined(boolean retry, boolean firstOfUser) {
    static final Joined RETRY = new Joined(true, false);
  }

  RoomFeed(String room, Broker broker, Presence presence, int historySize) {
    this.room = room;
    this.broker = broker;
    this.presence = presence;
    this.historySize = historySize;
  }

  /**
   * Adds the connection: queues {@code joined} and the replay, then live messages from the replay's
   * last offset on. Answers {@link Joined#RETRY} when the feed closed meanwhile.
   */
  synchronized Joined join(Connection connection, ClientFrame.Join request) {
    if (closed) {
      return Joined.RETRY;
    }
    subscribe();
    Member member = member(connection);
    boolean first = presence.enter(room, member);
    try {
      Recovery.Replay replay =
          Recovery.plan(
              broker, room, request.since(), request.epoch(), request.history(), historySize);
      RoomMembers who = presence.members(room, MAX_MEMBER_NAMES);
      RoomLog log = replay.log();
      List<String> frames = new ArrayList<>(log.messages().size() + 1);
      frames.add(
          Json.get()
              .write(
                  new ServerFrames.Joined(
                      room,
                      who.names(),
                      who.count(),
                      log.latestOffset(),
                      log.epoch(),
                      replay.recovered())));
      for (ChatMessage message : log.messages()) {
        frames.add(encode(message));
      }
      connection.send(frames);
      members.put(connection.id(), new Membership(connection, log.latestOffset()));
      return new Joined(false, first);
    } catch (RuntimeException e) {
      presence.leave(room, member);
      closeIfUnused();
      throw e;
    }
  }

  /** Answers a repeated join: a fresh {@code joined}, nothing else. */
  synchronized void rejoin(Connection connection, ClientFrame.Join request) {
    RoomLog log = broker.tail(room, 0);
    RoomMembers who = presence.members(room, MAX_MEMBER_NAMES);
    Boolean recovered =
        request.since() == null && request.epoch() == null
            ? null
            : request.epoch() == null || request.epoch().equals(log.epoch());
    connection.send(
        Json.get()
            .write(
                new ServerFrames.Joined(
                    room, who.names(), who.count(), log.latestOffset(), log.epoch(), recovered)));
  }

  /** Removes the connection; true when it was its user's last connection in the room. */
  synchronized boolean leave(Connection connection) {
    if (members.remove(connection.id()) == null) {
      return false;
    }
    boolean last = presence.leave(room, member(connection));
    closeIfUnused();
    return last;
  }

  /**
   * A future completed by the next message after {@code after}; the caller must {@link
   * #forget(CompletableFuture)} it when it stops waiting. Null when the feed closed meanwhile.
   */
  synchronized CompletableFuture<Void> await() {
    if (closed) {
      return null;
    }
    subscribe();
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    waiters.add(waiter);
    return waiter;
  }

  synchronized void forget(CompletableFuture<Void> waiter) {
    waiters.remove(waiter);
    closeIfUnused();
  }

  synchronized boolean isClosed() {
    return closed;
  }

  synchronized int memberCount() {
    return members.size();
  }

  private void subscribe() {
    if (last < 0) {
      broker.subscribe(room, this);
      last = broker.tail(room, 0).latestOffset();
    }
  }

  private void closeIfUnused() {
    if (members.isEmpty() && waiters.isEmpty() && !closed) {
      closed = true;
      if (last >= 0) {
        broker.unsubscribe(room);
      }
    }
  }

  @Override
  public void onMessage(ChatMessage message) {
    List<CompletableFuture<Void>> woken;
    synchronized (this) {
      if (closed || last < 0 || message.offset() <= last) {
        return;
      }
      if (message.offset() > last + 1) {
        fillUpTo(message.offset() - 1);
      }
      deliver(message);
      woken = takeWaiters();
    }
    wake(woken);
  }

  /**
   * The broker may have missed traffic (its connection to the shared store was down): restore this
   * node's members in the shared presence, and deliver what was published meanwhile.
   */
  @Override
  public void onResync() {
    List<CompletableFuture<Void>> woken;
    synchronized (this) {
      if (closed || last < 0) {
        return;
      }
      try {
        presence.sync(room, members.values().stream().map(m -> member(m.connection)).toList());
      } catch (RuntimeException e) {
        LOG.warning(() -> "Room " + room + ": could not restore presence: " + e);
      }
      fillUpTo(Long.MAX_VALUE);
      woken = takeWaiters();
    }
    wake(woken);
  }

  private List<CompletableFuture<Void>> takeWaiters() {
    if (waiters.isEmpty()) {
      return List.of();
    }
    List<CompletableFuture<Void>> woken = List.copyOf(waiters);
    waiters.clear();
    return woken;
  }

  /** Outside the lock: a waiter's callback answers an HTTP request and touches this feed. */
  private static void wake(List<CompletableFuture<Void>> woken) {
    woken.forEach(w -> w.complete(null));
  }

  /** Delivers the kept messages after {@link #last} up to {@code upTo}. */
  private void fillUpTo(long upTo) {
    try {
      RoomLog log = broker.read(room, last, historySize);
      if (log.oldestOffset() > last + 1 && log.latestOffset() > last) {
        LOG.warning(
            () ->
                "Room "
                    + room
                    + ": messages "
                    + (last + 1)
                    + " to "
                    + (log.oldestOffset() - 1)
                    + " left history before this node received them");
      }
      for (ChatMessage missed : log.messages()) {
        if (missed.offset() > upTo) {
          break;
        }
        deliver(missed);
      }
    } catch (RuntimeException e) {
      LOG.warning(() -> "Room " + room + ": could not fill a gap after offset " + last + ": " + e);
    }
  }

  private void deliver(ChatMessage message) {
    if (message.offset() <= last) {
      return;
    }
    last = message.offset();
    SharedFrame frame = SharedFrame.of(encode(message));
    for (Membership membership : members.values()) {
      if (message.offset() > membership.cursor) {
        membership.cursor = message.offset();
        membership.connection.send(frame);
      }
    }
  }

  @Override
  public synchronized void onSignal(Signal signal) {
    if (closed || members.isEmpty()) {
      return;
    }
    SharedFrame frame =
        SharedFrame.of(
            Json.get()
                .write(
                    switch (signal.kind()) {
                      case TYPING -> new ServerFrames.Typing(room, signal.user());
                      case JOIN -> new ServerFrames.Presence(room, "join", signal.user());
                      case LEAVE -> new ServerFrames.Presence(room, "leave", signal.user());
                    }));
    for (Membership membership : members.values()) {
      // Nobody hears their own typing or their own presence.
      if (!membership.connection.identity().userId().equals(signal.userId())) {
        membership.connection.send(frame);
      }
    }
  }

  private static String encode(ChatMessage message) {
    return Json.get().write(ServerFrames.Chat.of(message));
  }

  private Member member(Connection connection) {
    return new Member(
        connection.identity().userId(), connection.identity().user(), connection.id());
  }
}
