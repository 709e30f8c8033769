package io.switchboard.chat.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.broker.Broker;
import io.switchboard.broker.ChatDraft;
import io.switchboard.broker.ChatMessage;
import io.switchboard.broker.HistoryLimits;
import io.switchboard.broker.InMemoryBroker;
import io.switchboard.broker.InMemoryPresence;
import io.switchboard.broker.Notification;
import io.switchboard.broker.NotificationDraft;
import io.switchboard.broker.NotificationLog;
import io.switchboard.broker.Published;
import io.switchboard.broker.RoomListener;
import io.switchboard.broker.RoomLog;
import io.switchboard.broker.RoomSummary;
import io.switchboard.broker.Signal;
import io.switchboard.chat.entity.ClientFrame;
import io.switchboard.connection.TestClient;
import jakarta.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One room's delivery to its members, without a container: real history (the in-memory broker), a
 * delivery the test controls (late, twice, out of order, of another epoch), the real writer of each
 * member, and clients that read at once or not at all.
 */
class RoomFeedTest {

  private static final String ROOM = "lobby";
  private static final HistoryLimits LIMITS =
      new HistoryLimits(1000, 1 << 24, 1 << 26, 10, 1 << 20, 100, 600);

  private final ControlledBroker broker = new ControlledBroker();
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final RoomFeed feed =
      new RoomFeed(ROOM, broker, new InMemoryPresence(), new Replays(executor, scheduler, 1 << 20));

  @AfterEach
  void stop() {
    executor.shutdownNow();
    scheduler.shutdownNow();
  }

  @Test
  void aJoinReplaysHistoryThenGoesLive() {
    broker.store(5);
    TestClient ann = join("ann", 3);

    assertThat(ann.types()).containsExactly("joined", "chat", "chat", "chat");
    assertThat(ann.offsets()).containsExactly(3L, 4L, 5L);
    deliver(broker.store(1));
    assertThat(ann.offsets()).containsExactly(3L, 4L, 5L, 6L);
  }

  @Test
  void eachOffsetOnceAndInOrderWhateverTheBrokerDelivers() {
    TestClient ann = join("ann", 0);
    List<ChatMessage> published = broker.store(5);

    deliver(published.get(1)); // 2 before 1: a gap, filled from history
    deliver(published.get(0));
    deliver(published.get(1)); // twice
    deliver(published.get(4));
    deliver(published.get(3));

    await().atMost(Duration.ofSeconds(5)).until(() -> ann.offsets().size() >= 5);
    assertThat(ann.offsets()).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void aGapIsFilledEvenWhenHistoryCannotBeReadAtFirst() {
    TestClient ann = join("ann", 0);
    List<ChatMessage> published = broker.store(3);
    broker.failingReads.set(2);

    deliver(published.get(2)); // 1 and 2 never come: the fill retries until history answers

    await().atMost(Duration.ofSeconds(10)).until(() -> ann.offsets().size() >= 3);
    assertThat(ann.offsets()).containsExactly(1L, 2L, 3L);
    assertThat(broker.failingReads).hasValue(0);
  }

  @Test
  void aSlowReadersReplayComesAsItReadsAndLiveMessagesAreNotSentTwice() {
    int stored = 3 * Replays.PAGE_MESSAGES + 50;
    broker.store(stored);
    TestClient ann = TestClient.of("c-ann", "ann", 1 << 20);
    ann.stopReading();
    feed.join(ann.connection(), new ClientFrame.Join(ROOM, 0L, null, null, null));

    // One page at a time: the next is read only once the client took the last.
    assertThat(ann.frames()).hasSize(1); // the first write is pending; the rest are queued
    assertThat(ann.connection().queuedBytes()).isPositive();
    for (ChatMessage live : broker.store(20)) {
      deliver(live); // live messages during the replay: history brings them
    }
    assertThat(broker.reads).hasValue(1); // the first page, read by the join

    ann.read();

    long total = stored + 20;
    await().atMost(Duration.ofSeconds(5)).until(() -> ann.offsets().size() >= total);
    assertThat(ann.offsets())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    assertThat(broker.reads).hasValueGreaterThanOrEqualTo(4);
    deliver(broker.store(1));
    assertThat(ann.offsets()).hasSize((int) total + 1).endsWith(total + 1);
  }

  @Test
  void aReplacedHistoryTellsTheMembersAndStartsOver() {
    TestClient ann = join("ann", 0);
    deliver(broker.store(3));
    assertThat(ann.offsets()).containsExactly(1L, 2L, 3L);
    String before = ann.parsed().get(0).getString("epoch");

    broker.loseEverything(); // Redis lost its data: a new epoch, offsets from 1 again
    List<ChatMessage> after = broker.store(2);
    deliver(after.get(0));

    await().atMost(Duration.ofSeconds(5)).until(() -> ann.offsets().size() >= 5);
    List<JsonObject> frames = ann.parsed();
    JsonObject reset = frames.get(4);
    assertThat(reset.getString("type")).isEqualTo("joined");
    assertThat(reset.getBoolean("recovered")).isFalse();
    assertThat(reset.getString("epoch")).isNotEqualTo(before).isEqualTo(after.get(0).epoch());
    assertThat(ann.offsets()).containsExactly(1L, 2L, 3L, 1L, 2L);
  }

  @Test
  void nobodyHearsTheirOwnTypingOrPresence() {
    TestClient ann = join("ann", 0);
    TestClient bob = join("bob", 0);

    feed.onSignal(new Signal(ROOM, Signal.Kind.TYPING, "ann", "ann"));
    feed.onSignal(new Signal(ROOM, Signal.Kind.JOIN, "bob", "bob"));

    assertThat(ann.types()).containsExactly("joined", "presence");
    assertThat(bob.types()).containsExactly("joined", "typing");
  }

  @Test
  void theLastLeaveUnsubscribesAndTheNextJoinSubscribesAgain() {
    TestClient ann = join("ann", 0);
    assertThat(broker.listener).isNotNull();

    assertThat(feed.leave(ann.connection())).isTrue();
    assertThat(feed.isClosed()).isTrue();
    assertThat(broker.listener).isNull();
    assertThat(feed.join(ann.connection(), join(0)).retry()).isTrue(); // a closed feed: make anew
  }

  @Test
  void aMemberThatLeftIsSentNothingMore() {
    TestClient ann = join("ann", 0);
    TestClient bob = join("bob", 0);
    feed.leave(bob.connection());

    deliver(broker.store(1));

    assertThat(ann.offsets()).containsExactly(1L);
    assertThat(bob.offsets()).isEmpty();
  }

  private TestClient join(String user, int history) {
    TestClient client = TestClient.of("c-" + user, user, 1 << 20);
    RoomFeed.Joined joined = feed.join(client.connection(), join(history));
    assertThat(joined.retry()).isFalse();
    return client;
  }

  private static ClientFrame.Join join(int history) {
    return new ClientFrame.Join(ROOM, null, null, history, null);
  }

  private void deliver(List<ChatMessage> messages) {
    messages.forEach(this::deliver);
  }

  private void deliver(ChatMessage message) {
    broker.listener.onMessage(message);
  }

  /**
   * The in-memory broker's history, with delivery left to the test: subscribing only records the
   * listener. Its reads can be made to fail, and its data lost.
   */
  private static final class ControlledBroker implements Broker {
    volatile InMemoryBroker store = new InMemoryBroker(LIMITS, Clock.systemUTC());
    volatile RoomListener listener;
    final AtomicInteger failingReads = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();

    List<ChatMessage> store(int count) {
      List<ChatMessage> stored = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        stored.add(
            store.publish(new ChatDraft(ROOM, "m" + i, "ann", "ann", "message " + i)).message());
      }
      return stored;
    }

    void loseEverything() {
      store = new InMemoryBroker(LIMITS, Clock.systemUTC());
    }

    @Override
    public Published publish(ChatDraft draft) {
      return store.publish(draft);
    }

    @Override
    public RoomLog read(String room, long after, int limit, int maxBytes) {
      if (failingReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("history unreachable");
      }
      reads.incrementAndGet();
      return store.read(room, after, limit, maxBytes);
    }

    @Override
    public RoomLog tail(String room, int limit, int maxBytes) {
      return store.tail(room, limit, maxBytes);
    }

    @Override
    public RoomLog open(String room) {
      return store.open(room);
    }

    @Override
    public void subscribe(String room, RoomListener listener) {
      this.listener = listener;
    }

    @Override
    public String renewEpoch(String room, String epoch) {
      return store.renewEpoch(room, epoch);
    }

    @Override
    public String renewNotificationEpoch(String epoch) {
      return store.renewNotificationEpoch(epoch);
    }

    @Override
    public void unsubscribe(String room) {
      listener = null;
    }

    @Override
    public void signal(Signal signal) {}

    @Override
    public List<RoomSummary> rooms() {
      return store.rooms();
    }

    @Override
    public Notification publish(NotificationDraft draft) {
      return store.publish(draft);
    }

    @Override
    public NotificationLog notificationsAfter(long afterId, int limit, int maxBytes) {
      return store.notificationsAfter(afterId, limit, maxBytes);
    }

    @Override
    public void subscribeNotifications(NotificationListener listener) {}

    @Override
    public long command(io.switchboard.broker.Command command) {
      return 0;
    }

    @Override
    public void subscribeCommands(
        java.util.function.Consumer<io.switchboard.broker.Command> listener) {}

    @Override
    public boolean isAvailable() {
      return true;
    }

    @Override
    public void close() {}
  }
}
