package io.switchboard.chat.control;

import io.switchboard.broker.Broker;
import io.switchboard.broker.ChatMessage;
import io.switchboard.broker.Member;
import io.switchboard.broker.Presence;
import io.switchboard.broker.RoomListener;
import io.switchboard.broker.RoomLog;
import io.switchboard.broker.RoomMembers;
import io.switchboard.broker.Sequencer;
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
 * <p>The room's {@link Sequencer} turns what the broker delivers (late, twice, out of order, of
 * another epoch) into each offset once and in order, fills gaps from history off the delivering
 * thread, and tells the members when the room's history was replaced (a new {@code joined} with
 * {@code recovered: false} and the new epoch, then the new history) or lost messages before they
 * were delivered (a {@code joined} with {@code recovered: false}). Each member also has a cursor
 * (the last offset it was sent), so a member that joined with a history replay never receives a
 * message twice, whatever is still in flight. Everything runs under the sequencer's lock (the
 * feed's one lock), which only ever queues frames: the writes happen on the members' own writers,
 * and Redis is read outside it.
 *
 * <p>A join's replay is sent a page at a time ({@link Replays}): the first page with {@code
 * joined}, each next one when the member's writer reached the end of the last and its queue has
 * room, read off the lock. Meanwhile live messages skip the member (they are in history, so the
 * replay brings them); once its cursor reaches the feed's, the member is live. A member whose
 * replay history overtook (trimmed past its cursor) read too slowly: it is closed with 4009 and
 * resumes with {@code since}, as after any slow-consumer close.
 */
final class RoomFeed implements RoomListener {

  private static final Logger LOG = Logger.getLogger(RoomFeed.class.getName());
  static final int MAX_MEMBER_NAMES = 100;

  /** Rooms of at most this many local members are written to by the thread that delivers. */
  static final int WRITE_HERE_MEMBERS = 32;

  private final String room;
  private final Broker broker;
  private final Presence presence;
  private final Replays replays;
  private final Sequencer<ChatMessage> sequence;

  /** The feed's one lock: the sequencer's, so that its sink calls and the feed's state agree. */
  private final Object lock;

  private final Map<String, Membership> members = new HashMap<>();
  private final List<CompletableFuture<Void>> waiters = new ArrayList<>();
  private boolean subscribed;
  private boolean closed;

  /** Who was in the room at the last join here (what a reset's {@code joined} says). */
  private RoomMembers lastWho = new RoomMembers(0, List.of());

  private static final class Membership {
    final Connection connection;
    String epoch;
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
    this.sequence =
        new Sequencer<>(
            "Room " + room,
            ChatMessage::offset,
            ChatMessage::epoch,
            new Sequencer.History<>() {
              @Override
              public Sequencer.Page<ChatMessage> after(long after) {
                RoomLog log = broker.read(room, after, Replays.PAGE_MESSAGES, Replays.PAGE_BYTES);
                return new Sequencer.Page<>(
                    log.epoch(), log.latestOffset(), log.oldestOffset(), log.messages());
              }

              @Override
              public String renew(String epoch) {
                return broker.renewEpoch(room, epoch);
              }
            },
            new Sink(),
            replays.executor(),
            replays.scheduler());
    this.lock = sequence;
  }

  /**
   * Adds the connection: queues {@code joined} and the first page of the replay; the rest follows
   * as the client reads, then live messages. Answers {@link Joined#RETRY} when the feed closed
   * meanwhile. Redis is read before the lock is taken (but for the room's first join, whose
   * subscription must come before its head is read).
   */
  Joined join(Connection connection, ClientFrame.Join request) {
    synchronized (lock) {
      if (closed) {
        return Joined.RETRY;
      }
      subscribeFirst(true);
    }
    Member member = member(connection);
    boolean first = presence.enter(room, member);
    try {
      RoomLog head = broker.open(room);
      Recovery.Replay replay =
          Recovery.plan(head, request.since(), request.epoch(), request.history());
      RoomMembers who = presence.members(room, MAX_MEMBER_NAMES);
      RoomLog page =
          replay.after() < head.latestOffset()
              ? broker.read(room, replay.after(), Replays.PAGE_MESSAGES, Replays.PAGE_BYTES)
              : null;
      synchronized (lock) {
        if (closed) {
          presence.leave(room, member);
          return Joined.RETRY;
        }
        sequence.start(head.epoch(), head.latestOffset()); // makes a long poll's placeholder real
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
        lastWho = who;
        Membership membership = new Membership(connection, head.epoch(), replay.after());
        members.put(connection.id(), membership);
        if (page == null && membership.cursor >= sequence.last()) {
          membership.replaying = false; // nothing to replay (history 0, or since at the latest)
        } else if (page == null || connection.queuedBytes() > replays.queueBudget() / 2) {
          askForNextPage(membership); // other rooms' replays fill the queue: this one waits
        } else {
          replayPage(membership, page);
        }
      }
      return new Joined(false, first);
    } catch (RuntimeException e) {
      presence.leave(room, member);
      synchronized (lock) {
        members.remove(connection.id());
        closeIfUnused();
      }
      throw e;
    }
  }

  /** Subscribes on the room's first use, and starts its sequence at the head. Under the lock. */
  private void subscribeFirst(boolean join) {
    if (subscribed) {
      return;
    }
    subscribed = true;
    broker.subscribe(room, this);
    // A join gives the room its epoch (its client keeps it); a long poll only reads.
    RoomLog head = join ? broker.open(room) : broker.tail(room, 0, 0);
    sequence.start(head.epoch(), head.latestOffset(), !join && head.latestOffset() == 0);
  }

  /**
   * Queues one page of a member's replay (under the lock), and a marker that asks for the next one
   * when the member's writer reaches it; or ends the replay once the member caught up.
   */
  private void replayPage(Membership membership, RoomLog page) {
    if (!page.epoch().equals(membership.epoch)) {
      membership.replaying = false; // the history was replaced meanwhile: the reset tells it
      return;
    }
    if (page.oldestOffset() > membership.cursor + 1 && page.latestOffset() > membership.cursor) {
      LOG.fine(
          () -> "Room " + room + ": history overtook the replay of " + membership.connection.id());
      // Not under this lock: closing leaves every room of the connection.
      replays.soon(() -> membership.connection.close(Disconnect.SLOW_CONSUMER));
      return;
    }
    for (ChatMessage message : page.messages()) {
      if (message.offset() > membership.cursor) {
        membership.cursor = message.offset();
        membership.connection.send(encode(message));
      }
    }
    if (membership.cursor >= sequence.last() || page.messages().isEmpty()) {
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
    synchronized (lock) {
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
    synchronized (lock) {
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
  void rejoin(Connection connection, ClientFrame.Join request) {
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
  boolean leave(Connection connection) {
    synchronized (lock) {
      if (members.remove(connection.id()) == null) {
        return false;
      }
    }
    boolean last = presence.leave(room, member(connection)); // Redis: off the lock
    synchronized (lock) {
      closeIfUnused();
    }
    return last;
  }

  /**
   * A future completed by the next message; the caller must {@link #forget(CompletableFuture)} it
   * when it stops waiting. Null when the feed closed meanwhile.
   */
  CompletableFuture<Void> await() {
    synchronized (lock) {
      if (closed) {
        return null;
      }
      subscribeFirst(false);
      CompletableFuture<Void> waiter = new CompletableFuture<>();
      waiters.add(waiter);
      return waiter;
    }
  }

  void forget(CompletableFuture<Void> waiter) {
    synchronized (lock) {
      waiters.remove(waiter);
      closeIfUnused();
    }
  }

  boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  int memberCount() {
    synchronized (lock) {
      return members.size();
    }
  }

  private void closeIfUnused() {
    if (members.isEmpty() && waiters.isEmpty() && !closed) {
      closed = true;
      sequence.close();
      if (subscribed) {
        broker.unsubscribe(room);
      }
    }
  }

  @Override
  public void onMessage(ChatMessage message) {
    sequence.offer(message);
  }

  /**
   * The broker may have missed traffic (its connection to the shared store was down): restore this
   * node's members in the shared presence, and deliver what was published meanwhile. Runs on the
   * broker's resync pool, never on its delivering thread.
   */
  @Override
  public void onResync() {
    List<Member> here;
    synchronized (lock) {
      if (closed || !sequence.isStarted()) {
        return;
      }
      here = members.values().stream().map(m -> member(m.connection)).toList();
    }
    try {
      // Users the others stopped counting meanwhile (this node was taken for dead) are back.
      presence.sync(room, here).forEach(broker::signal);
    } catch (RuntimeException e) {
      LOG.warning(() -> "Room " + room + ": could not restore presence: " + e);
    }
    sequence.resync();
  }

  /** What the sequencer hands on, under the lock. */
  private final class Sink implements Sequencer.Sink<ChatMessage> {

    @Override
    public void deliver(ChatMessage message) {
      SharedFrame frame = SharedFrame.of(encode(message));
      // A small room's members are written to by this thread; a large room's by their writers
      // (this thread holds the room's lock, and a busy room's frames are gathered into fewer
      // writes).
      boolean small = members.size() <= WRITE_HERE_MEMBERS;
      for (Membership membership : members.values()) {
        if (!membership.replaying && message.offset() > membership.cursor) {
          membership.cursor = message.offset();
          if (small) {
            membership.connection.send(frame);
          } else {
            membership.connection.enqueue(frame);
          }
        }
      }
      if (!waiters.isEmpty()) {
        List<CompletableFuture<Void>> woken = List.copyOf(waiters);
        waiters.clear();
        // Not under the lock: a waiter's callback answers an HTTP request, which reads Redis.
        replays.soon(() -> woken.forEach(w -> w.complete(null)));
      }
    }

    @Override
    public void reset(String epoch, long latest) {
      tellMembers(epoch, latest);
      for (Membership membership : members.values()) {
        membership.epoch = epoch;
        membership.cursor = 0;
        membership.replaying = false; // the new history follows as live messages
      }
    }

    @Override
    public void lost(long from, long to, long latest) {
      tellMembers(sequence.epoch(), latest);
    }

    /**
     * A fresh {@code joined} with {@code recovered: false}: the history this member had is gone.
     */
    private void tellMembers(String epoch, long latest) {
      if (members.isEmpty()) {
        return;
      }
      // Presence is not read under the lock: who was here at the last join is what it says.
      SharedFrame frame =
          SharedFrame.of(
              Json.get()
                  .write(
                      new ServerFrames.Joined(
                          room, lastWho.names(), lastWho.count(), latest, epoch, false)));
      for (Membership membership : members.values()) {
        membership.connection.send(frame);
      }
    }
  }

  @Override
  public void onSignal(Signal signal) {
    synchronized (lock) {
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
  }

  private static String encode(ChatMessage message) {
    return Json.get().write(ServerFrames.Chat.of(message));
  }

  private Member member(Connection connection) {
    return new Member(
        connection.identity().userId(), connection.identity().user(), connection.id());
  }
}
