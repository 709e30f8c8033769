package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Broker}, run against every implementation. Delivery may be asynchronous,
 * so every expectation about listeners waits (bounded) for its condition.
 */
public abstract class BrokerContract {

  protected static final int HISTORY = 20;
  protected static final int NOTIFICATIONS = 10;

  protected Broker broker;

  /** A fresh broker with the given bounds, isolated from every other test. */
  protected abstract Broker newBroker(HistoryLimits limits);

  protected Broker newBroker(int historySize, int notificationHistory) {
    return newBroker(HistoryLimits.counts(historySize, notificationHistory, 100));
  }

  @BeforeEach
  void start() {
    broker = newBroker(HISTORY, NOTIFICATIONS);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private static ChatDraft draft(String room, String text) {
    return new ChatDraft(room, "id-" + text, "alice", "alice", text);
  }

  /** Records what a room listener receives. */
  public static class Recorder implements RoomListener {
    public final List<ChatMessage> messages = new CopyOnWriteArrayList<>();
    public final List<Signal> signals = new CopyOnWriteArrayList<>();
    public final AtomicInteger resyncs = new AtomicInteger();

    @Override
    public void onMessage(ChatMessage message) {
      messages.add(message);
    }

    @Override
    public void onSignal(Signal signal) {
      signals.add(signal);
    }

    @Override
    public void onResync() {
      resyncs.incrementAndGet();
    }
  }

  @Test
  void aRoomsFirstOffsetIsOneAndEachNextOneTheNextInteger() {
    for (int i = 1; i <= 5; i++) {
      ChatMessage m = broker.publish(draft("r1", "m" + i)).message();
      assertThat(m.offset()).isEqualTo(i);
      assertThat(m.room()).isEqualTo("r1");
      assertThat(m.message()).isEqualTo("m" + i);
      assertThat(m.timestamp())
          .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5000L));
    }
    assertThat(broker.publish(draft("r2", "other")).offset())
        .as("offsets are per room")
        .isEqualTo(1);
  }

  @Test
  void concurrentPublishersNeverShareAnOffset() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Long> offsets = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 400; i++) {
      int n = i;
      pool.submit(() -> offsets.add(broker.publish(draft("busy", "m" + n)).offset()));
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(offsets).hasSize(400).doesNotHaveDuplicates();
    assertThat(Collections.max(offsets)).isEqualTo(400);
  }

  @Test
  void asyncPublishesOfOneThreadAreStoredInTheirOrder() throws Exception {
    List<java.util.concurrent.CompletableFuture<Published>> futures = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      futures.add(broker.publishAsync(draft("async", "m" + i)));
    }
    for (int i = 0; i < futures.size(); i++) {
      ChatMessage stored = futures.get(i).get(30, TimeUnit.SECONDS).message();
      assertThat(stored.offset()).as("message %d", i).isEqualTo(i + 1);
      assertThat(stored.message()).isEqualTo("m" + i);
    }
    assertThat(broker.read("async", 995, 10).messages())
        .extracting(ChatMessage::message)
        .containsExactly("m995", "m996", "m997", "m998", "m999");
  }

  @Test
  void anUnusedRoomIsEmptyWithAnEpoch() {
    RoomLog log = broker.tail("never", 50);
    assertThat(log.latestOffset()).isZero();
    assertThat(log.messages()).isEmpty();
    assertThat(log.epoch()).isNotBlank();
    assertThat(log.covers(0)).isTrue();
    assertThat(log.covers(1)).isFalse();
  }

  @Test
  void theEpochStaysTheSameWhileHistoryLives() {
    String epoch = broker.open("e").epoch();
    broker.publish(draft("e", "x"));
    assertThat(broker.read("e", 0, 10).epoch()).isEqualTo(epoch);
    assertThat(broker.tail("e", 10).epoch()).isEqualTo(epoch);
  }

  @Test
  void historyIsBoundedAndReadsAfterAnOffset() {
    for (int i = 1; i <= HISTORY + 5; i++) {
      broker.publish(draft("h", "m" + i));
    }
    RoomLog tail = broker.tail("h", 1000);
    assertThat(tail.latestOffset()).isEqualTo(HISTORY + 5);
    assertThat(tail.oldestOffset()).isEqualTo(6);
    assertThat(tail.messages())
        .extracting(ChatMessage::offset)
        .startsWith(6L)
        .endsWith((long) HISTORY + 5)
        .hasSize(HISTORY);
    assertThat(broker.tail("h", 3).messages())
        .extracting(ChatMessage::offset)
        .containsExactly(23L, 24L, 25L);
    assertThat(broker.read("h", 20, 2).messages())
        .extracting(ChatMessage::offset)
        .containsExactly(21L, 22L);
    assertThat(broker.read("h", 0, 2).messages())
        .extracting(ChatMessage::offset)
        .containsExactly(6L, 7L);
    assertThat(tail.covers(5)).isTrue();
    assertThat(tail.covers(4)).isFalse();
    assertThat(tail.covers(25)).isTrue();
    assertThat(tail.covers(26)).isFalse();
  }

  @Test
  void aMessageIsInHistoryBeforeAListenerReceivesIt() {
    List<Boolean> storedFirst = new CopyOnWriteArrayList<>();
    broker.subscribe(
        "s",
        new Recorder() {
          @Override
          public void onMessage(ChatMessage message) {
            storedFirst.add(broker.read("s", message.offset() - 1, 1).messages().contains(message));
          }
        });
    broker.publish(draft("s", "one"));
    broker.publish(draft("s", "two"));
    await().atMost(Duration.ofSeconds(5)).until(() -> storedFirst.size() == 2);
    assertThat(storedFirst).containsOnly(true);
  }

  @Test
  void onlySubscribedRoomsAreDeliveredUntilUnsubscribed() {
    Recorder recorder = new Recorder();
    broker.subscribe("sub", recorder);
    broker.publish(draft("other", "not for us"));
    broker.publish(draft("sub", "for us"));
    await().atMost(Duration.ofSeconds(5)).until(() -> recorder.messages.size() == 1);
    assertThat(recorder.messages.get(0).message()).isEqualTo("for us");
    broker.unsubscribe("sub");
    broker.publish(draft("sub", "after"));
    broker.publish(draft("marker", "m"));
    Recorder marker = new Recorder();
    broker.subscribe("marker", marker);
    broker.publish(draft("marker", "m2"));
    await().atMost(Duration.ofSeconds(5)).until(() -> marker.messages.size() == 1);
    assertThat(recorder.messages).hasSize(1);
  }

  @Test
  void commandsReachEveryNodesListenerWithTheirUser() {
    List<Command> received = new CopyOnWriteArrayList<>();
    broker.subscribeCommands(received::add);
    String awkward = "user \"quoted\" ünïcode|pipe";
    long reached = broker.command(Command.disconnect(awkward));
    broker.command(Command.remove("lobby", awkward));
    assertThat(reached)
        .as("this node's subscription is one of those reached")
        .isGreaterThanOrEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
    assertThat(received)
        .containsExactly(
            new Command(Command.Kind.DISCONNECT, awkward, null),
            new Command(Command.Kind.REMOVE, awkward, "lobby"));
  }

  @Test
  void signalsReachSubscribersAndAreNeverStored() {
    Recorder recorder = new Recorder();
    broker.subscribe("sig", recorder);
    broker.signal(new Signal("sig", Signal.Kind.TYPING, "bob", "bob"));
    await().atMost(Duration.ofSeconds(5)).until(() -> recorder.signals.size() == 1);
    assertThat(recorder.signals.get(0))
        .isEqualTo(new Signal("sig", Signal.Kind.TYPING, "bob", "bob"));
    assertThat(broker.tail("sig", 10).latestOffset()).isZero();
  }

  @Test
  void roomsListsRoomsWithHistory() {
    broker.publish(draft("listed", "x"));
    broker.publish(draft("listed", "y"));
    broker.tail("empty", 1);
    assertThat(broker.rooms())
        .contains(new RoomSummary("listed", 2))
        .noneMatch(r -> r.room().equals("empty"));
  }

  @Test
  void notificationIdsIncreaseAndHistoryIsBounded() {
    long previous = 0;
    for (int i = 0; i < NOTIFICATIONS + 3; i++) {
      Notification n =
          broker.publish(
              new NotificationDraft("t", i % 2 == 0 ? "update" : null, "{\"n\":" + i + "}", null));
      assertThat(n.id()).isGreaterThan(previous);
      previous = n.id();
    }
    NotificationLog log = broker.notificationsAfter(0, 100);
    assertThat(log.notifications()).hasSize(NOTIFICATIONS);
    assertThat(log.latestId()).isEqualTo(previous);
    assertThat(log.oldestId()).isEqualTo(log.notifications().get(0).id());
    assertThat(log.notifications().get(NOTIFICATIONS - 1).data())
        .isEqualTo("{\"n\":" + (NOTIFICATIONS + 2) + "}");
    List<Notification> after = broker.notificationsAfter(previous - 2, 100).notifications();
    assertThat(after).extracting(Notification::id).containsExactly(previous - 1, previous);
  }

  @Test
  void notificationsReachEveryNotificationListenerWithTheirFields() {
    List<Notification> received = new CopyOnWriteArrayList<>();
    broker.subscribeNotifications(received::add);
    Notification sent = broker.publish(new NotificationDraft("deploys", "update", "[1,2]", "bob"));
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    Notification got = received.get(0);
    assertThat(got).isEqualTo(sent);
    assertThat(got.topic()).isEqualTo("deploys");
    assertThat(got.event()).isEqualTo("update");
    assertThat(got.user()).isEqualTo("bob");
    assertThat(got.data()).isEqualTo("[1,2]");
  }

  private static List<Long> offsets(RoomLog log) {
    return log.messages().stream().map(ChatMessage::offset).toList();
  }

  @Test
  void aRoomsHistoryIsBoundedInBytesAndKeepsTheNewest() {
    Broker small = newBroker(new HistoryLimits(100, 20_000, Long.MAX_VALUE, 10, 1 << 20, 100, 600));
    try {
      for (int i = 1; i <= 30; i++) {
        small.publish(draft("bytes", i + "-" + "x".repeat(2000)));
      }
      RoomLog kept = small.tail("bytes", 100);
      assertThat(kept.latestOffset()).isEqualTo(30);
      assertThat(kept.messages()).as("fewer than the 30 published").hasSizeBetween(2, 12);
      assertThat(offsets(kept)).endsWith(30L);
      assertThat(kept.oldestOffset()).isEqualTo(offsets(kept).get(0));
      assertThat(kept.covers(kept.oldestOffset() - 2)).as("what left is not covered").isFalse();
      small.publish(draft("bytes", "huge-" + "y".repeat(30_000)));
      assertThat(offsets(small.tail("bytes", 100)))
          .as("the newest message stays even when it alone is over the bound")
          .containsExactly(31L);
    } finally {
      small.close();
    }
  }

  @Test
  void readsAreBoundedInBytesButReturnAtLeastOneMessage() {
    for (int i = 1; i <= 10; i++) {
      broker.publish(draft("pages", i + "-" + "z".repeat(1000)));
    }
    RoomLog first = broker.read("pages", 0, 100, 3_000);
    assertThat(offsets(first)).hasSizeBetween(1, 3).startsWith(1L);
    assertThat(offsets(broker.read("pages", 0, 100, 1))).containsExactly(1L);
    RoomLog tail = broker.tail("pages", 100, 3_000);
    assertThat(offsets(tail)).as("a tail keeps the newest").hasSizeBetween(1, 3).endsWith(10L);
    assertThat(offsets(broker.tail("pages", 100, 1))).containsExactly(10L);
  }

  @Test
  void notificationsAreBoundedInBytes() {
    Broker small = newBroker(new HistoryLimits(10, 1 << 20, Long.MAX_VALUE, 100, 20_000, 100, 600));
    try {
      for (int i = 0; i < 30; i++) {
        small.publish(new NotificationDraft("t", null, "\"" + "n".repeat(2000) + "\"", null));
      }
      NotificationLog kept = small.notificationsAfter(0, 100);
      assertThat(kept.latestId()).isEqualTo(30);
      assertThat(kept.notifications()).hasSizeBetween(2, 12);
      assertThat(kept.notifications().get(kept.notifications().size() - 1).id()).isEqualTo(30);
      assertThat(kept.oldestId()).isEqualTo(kept.notifications().get(0).id());
      assertThat(small.notificationsAfter(0, 100, 1).notifications()).hasSize(1);
    } finally {
      small.close();
    }
  }

  @Test
  void aReadCreatesNoRoomAndAJoinsOpenKeepsOneEpoch() {
    RoomLog ghost = broker.read("ghost", 0, 10);
    assertThat(ghost.latestOffset()).isZero();
    assertThat(ghost.messages()).isEmpty();
    assertThat(broker.tail("ghost", 10).messages()).isEmpty();
    assertThat(broker.rooms()).extracting(RoomSummary::room).doesNotContain("ghost");
    String opened = broker.open("joined-room").epoch();
    assertThat(broker.open("joined-room").epoch()).isEqualTo(opened);
    broker.publish(draft("joined-room", "first"));
    assertThat(broker.tail("joined-room", 1).epoch())
        .as("the epoch a joiner was given is the room's")
        .isEqualTo(opened);
  }

  private static ChatDraft keyed(String room, String id, String userId, String text) {
    return new ChatDraft(room, id, userId, userId, text, "u:" + userId + "\n" + id);
  }

  @Test
  void aRepeatedDedupKeyAnswersTheOriginalOffsetAndStoresAndDeliversNothing() throws Exception {
    Recorder recorder = new Recorder();
    broker.subscribe("idem", recorder);
    Published first = broker.publish(keyed("idem", "c-1", "alice", "hello"));
    assertThat(first.duplicate()).isFalse();
    broker.publish(keyed("idem", "c-2", "alice", "world"));
    Published again = broker.publish(keyed("idem", "c-1", "alice", "hello"));
    assertThat(again.duplicate()).isTrue();
    assertThat(again.offset()).isEqualTo(first.offset());
    Published async =
        broker.publishAsync(keyed("idem", "c-1", "alice", "hello")).get(10, TimeUnit.SECONDS);
    assertThat(async.duplicate()).isTrue();
    assertThat(async.offset()).isEqualTo(first.offset());
    Published otherUser = broker.publish(keyed("idem", "c-1", "bob", "hello"));
    assertThat(otherUser.duplicate()).as("the same id from another sender").isFalse();
    assertThat(broker.tail("idem", 10).messages())
        .extracting(ChatMessage::offset)
        .containsExactly(1L, 2L, 3L);
    // A marker after the repeats: delivery is in order, so a delivered repeat would come before it.
    broker.publish(keyed("idem", "c-3", "alice", "marker"));
    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.messages.size() >= 4);
    assertThat(recorder.messages).extracting(ChatMessage::offset).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void aDedupKeyIsForgottenAfterTheWindow() throws Exception {
    Broker quick = newBroker(new HistoryLimits(100, 1 << 20, Long.MAX_VALUE, 10, 1 << 20, 100, 1));
    try {
      assertThat(quick.publish(keyed("w", "c-1", "a", "x")).offset()).isEqualTo(1);
      assertThat(quick.publish(keyed("w", "c-1", "a", "x")).duplicate()).isTrue();
      Thread.sleep(2100);
      Published later = quick.publish(keyed("w", "c-1", "a", "x"));
      assertThat(later.duplicate()).as("after the window it is a new message").isFalse();
      assertThat(later.offset()).isEqualTo(2);
    } finally {
      quick.close();
    }
  }

  @Test
  void aRepeatedNotificationKeyAnswersTheOriginalIdAndDeliversNothing() {
    List<Notification> seen = new CopyOnWriteArrayList<>();
    broker.subscribeNotifications(seen::add);
    Notification first = broker.publish(new NotificationDraft("t", null, "1", null, "k:key\nabc"));
    Notification again = broker.publish(new NotificationDraft("t", null, "1", null, "k:key\nabc"));
    assertThat(again.id()).isEqualTo(first.id());
    Notification other = broker.publish(new NotificationDraft("t", null, "1", null, "k:key\nabd"));
    assertThat(other.id()).isGreaterThan(first.id());
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
    assertThat(seen).extracting(Notification::id).containsExactly(first.id(), other.id());
    assertThat(broker.notificationsAfter(0, 100).notifications()).hasSize(2);
  }
}
