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
import io.switchboard.connection.Disconnect;
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
 *
 * <p>A join's replay is sent a page at a time ({@link Replays}): the first page with {@code
 * joined}, each next one when the member's writer reached the end of the last and its queue has
 * room, read off the feed's lock. Meanwhile live messages skip the member (they are in history, so
 * the replay brings them); once its cursor reaches the feed's, the member is live. A member whose
 * replay history overtook (trimmed past its cursor) read too slowly: it is closed with 4009 and
 * resumes with {@code since}, as after any slow-consumer close.
 */
final class RoomFeed implements RoomListener {

  private static final Logger LOG = Logger.getLogger(RoomFeed.class.getName());
  static final int MAX_MEMBER_NAMES = 100;

  private final String room;
  private final Broker broker;
  private final Presence presence;
  private final Replays replays;
  private final Map<String, Membership> members = new HashMap<>();
  private final List<CompletableFuture<Void>> waiters = new ArrayList<>();

  /** The last offset delivered to this node's members; -1 until subscribed. */
  private long last = -1;

  private boolean closed;

  private static final class Membership {
    final Connection connection;
    final String epoch;
    long cursor;

    /** Still being sent its replay: live messages wait in history until the replay brings them. */
    boolean replaying = true;

    Membership(Connection connection, String epoch, long cursor) {
      this.connection = connection;
      this.epoch = epoch;
      this.cursor = cursor;
    }
  }

  /** The outcome of a join, for the caller to finish outside the lock. */
  record Joined(boolean retry, boolean firstOfUser) {
    static final Joined RETRY = new Joined(true, false);
  }

  RoomFeed(String room, Broker broker, Presence presence, Replays replays) {
    this.room = room;
    this.broker = broker;
    this.presence = presence;
    this.replays = replays;
  }

  /**
   * Adds the connection: queues {@code joined} and the first page of the replay; the rest follows
   * as the client reads, then live messages. Answers {@link Joined#RETRY} when the feed closed
   * meanwhile.
   */
  synchronized Joined join(Connection connection, ClientFrame.Join request) {
    if (closed) {
      return Joined.RETRY;
    }
    RoomLog head = subscribe();
    Member member = member(connection);
    boolean first = presence.enter(room, member);
    try {
      Recovery.Replay replay =
          Recovery.plan(head, request.since(), request.epoch(), request.history());
      RoomMembers who = presence.members(room, MAX_MEMBER_NAMES);
      connection.send(
          Json.get()
              .write(
                  new ServerFrames.Joined(
                      room,
                      who.names(),
                      who.count(),
                      head.latestOffset(),
                      head.epoch(),
                      replay.recovered())));
      Membership membership = new Membership(connection, head.epoch(), replay.after());
      members.put(connection.id(), membership);
      if (membership.cursor >= last) {
        membership.replaying = false; // nothing to replay (history 0, or since at the latest)
      } else if (connection.queuedBytes() > replays.queueBudget() / 2) {
        askForNextPage(membership); // other rooms' replays fill the queue: this one waits its turn
      } else {
        replayPage(
            membership,
            broker.read(room, membership.cursor, Replays.PAGE_MESSAGES, Replays.PAGE_BYTES));
      }
      return new Joined(false, first);
    } catch (RuntimeException e) {
      members.remove(connection.id());
      presence.leave(room, member);
      closeIfUnused();
      throw e;
    }
  }

  /**
   * Queues one page of a member's replay (under the lock), and a marker that asks for the next one
   * when the member's writer reaches it; or ends the replay once the member caught up.
   */
  private void replayPage(Membership membership, RoomLog page) {
    if (!page.epoch().equals(membership.epoch)) {
      membership.replaying = false; // the history was lost meanwhile: live messages from now on
      return;
    }
    if (page.oldestOffset() > membership.cursor + 1 && page.latestOffset() > membership.cursor) {
      LOG.fine(
          () -> "Room " + room + ": history overtook the replay of " + membership.connection.id());
      membership.connection.close(Disconnect.SLOW_CONSUMER);
      return;
    }
    for (ChatMessage message : page.messages()) {
      if (message.offset() > membership.cursor) {
        membership.cursor = message.offset();
        membership.connection.send(encode(message));
      }
    }
    if (membership.cursor >= last || page.messages().isEmpty()) {
      membership.replaying = false;
      return;
    }
    askForNextPage(membership);
  }

  /** The member's writer asks for the next page when it reaches this point of its queue. */
  private void askForNextPage(Membership membership) {
    membership.connection.mark(() -> replays.soon(() -> nextPage(membership)));
  }

  /** Reads a member's next replay page (off the lock), once its queue has room for it. */
  private void nextPage(Membership membership) {
    long after;
    synchronized (this) {
      if (!isCurrent(membership)) {
        return;
      }
      after = membership.cursor;
    }
    Connection connection = membership.connection;
    if (connection.queuedBytes() > replays.queueBudget() / 2) {
      askForNextPage(membership);
      return;
    }
    RoomLog page;
    try {
      page = broker.read(room, after, Replays.PAGE_MESSAGES, Replays.PAGE_BYTES);
    } catch (RuntimeException e) {
      LOG.fine(() -> "Room " + room + ": a replay page could not be read, retrying: " + e);
      replays.later(() -> nextPage(membership));
      return;
    }
    synchronized (this) {
      if (isCurrent(membership) && membership.cursor == after) {
        replayPage(membership, page);
      }
    }
  }

  /** Whether the member is still here and still replaying (it may have left, or closed). */
  private boolean isCurrent(Membership membership) {
    return !closed
        && membership.replaying
        && membership.connection.isOpen()
        && members.get(membership.connection.id()) == membership;
  }

  /** Answers a repeated join: a fresh {@code joined}, nothing else. */
  synchronized void rejoin(Connection connection, ClientFrame.Join request) {
    RoomLog log = broker.open(room);
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
    if (last < 0) {
      broker.subscribe(room, this);
      last = broker.tail(room, 0, 0).latestOffset(); // a read: a long poll creates no room
    }
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

  /** Subscribes the feed if it is not yet, and reads the room's head (giving it an epoch). */
  private RoomLog subscribe() {
    boolean first = last < 0;
    if (first) {
      broker.subscribe(room, this);
    }
    RoomLog head = broker.open(room);
    if (first) {
      last = head.latestOffset();
    }
    return head;
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

  /** Delivers the kept messages after {@link #last} up to {@code upTo}, a page at a time. */
  private void fillUpTo(long upTo) {
    try {
      while (last < upTo) {
        RoomLog log = broker.read(room, last, Replays.PAGE_MESSAGES, Replays.PAGE_BYTES);
        long from = last;
        if (log.oldestOffset() > from + 1 && log.latestOffset() > from) {
          LOG.warning(
              () ->
                  "Room "
                      + room
                      + ": messages "
                      + (from + 1)
                      + " to "
                      + (log.oldestOffset() - 1)
                      + " left history before this node received them");
        }
        if (log.messages().isEmpty()) {
          return;
        }
        for (ChatMessage missed : log.messages()) {
          if (missed.offset() > upTo) {
            return;
          }
          deliver(missed);
        }
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
      if (!membership.replaying && message.offset() > membership.cursor) {
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
