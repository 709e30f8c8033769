package io.switchboard.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.broker.Broker;
import io.switchboard.broker.BrokerContract;
import io.switchboard.broker.ChatDraft;
import io.switchboard.broker.HistoryLimits;
import io.switchboard.broker.Member;
import io.switchboard.broker.Signal;
import io.switchboard.it.support.RedisProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The broker contract against a real Redis server, with a fresh key prefix per test. */
class RedisBrokerIT extends BrokerContract {

  private static RedisProcess redis;
  private static ScheduledExecutorService scheduler;
  private final List<RedisStore> stores = new ArrayList<>();
  private String prefix;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisProcess.start();
    scheduler = Executors.newScheduledThreadPool(1);
  }

  @AfterAll
  static void stopRedis() {
    scheduler.shutdownNow();
    redis.close();
  }

  @Override
  protected Broker newBroker(HistoryLimits limits) {
    prefix = "test:" + UUID.randomUUID() + ":";
    return broker(limits);
  }

  private RedisBroker broker(int historySize, int notificationHistory) {
    return broker(HistoryLimits.counts(historySize, notificationHistory, 100));
  }

  private RedisBroker broker(HistoryLimits limits) {
    RedisStore store = new RedisStore(java.net.URI.create(redis.url()));
    stores.add(store);
    RedisBroker broker =
        new RedisBroker(
            store,
            prefix,
            limits,
            3600,
            Clock.systemUTC(),
            Executors.defaultThreadFactory(),
            scheduler,
            Runnable::run);
    await().atMost(Duration.ofSeconds(10)).until(broker::isAvailable);
    return broker;
  }

  @Test
  void twoNodesShareOneOffsetSequenceAndSeeEachOthersMessages() {
    RedisBroker other = broker(HISTORY, NOTIFICATIONS);
    try {
      Recorder here = new Recorder();
      Recorder there = new Recorder();
      broker.subscribe("shared", here);
      other.subscribe("shared", there);
      List<Long> offsets = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        offsets.add(
            (i % 2 == 0 ? broker : other)
                .publish(new ChatDraft("shared", "i" + i, "a", "a", "m" + i))
                .offset());
      }
      assertThat(offsets).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> here.messages.size() == 10 && there.messages.size() == 10);
      assertThat(there.messages).extracting(m -> m.offset()).containsExactlyElementsOf(offsets);
    } finally {
      other.close();
    }
  }

  @Test
  void aCutSubscriptionComesBackAndAsksListenersToCatchUp() {
    Recorder recorder = new Recorder();
    RedisBroker redisBroker = (RedisBroker) broker;
    redisBroker.subscribe("cut", recorder);
    redisBroker.cutSubscription();
    await().atMost(Duration.ofSeconds(15)).until(() -> recorder.resyncs.get() >= 1);
    await().atMost(Duration.ofSeconds(5)).until(redisBroker::isAvailable);
    broker.publish(new ChatDraft("cut", "x", "a", "a", "after"));
    await().atMost(Duration.ofSeconds(5)).until(() -> recorder.messages.size() == 1);
  }

  @Test
  void aRoomFirstSubscribedWhileTheSubscriptionReconnectsGetsItsMessages() {
    RedisBroker redisBroker = (RedisBroker) broker;
    RedisBroker sender = broker(HISTORY, NOTIFICATIONS);
    try {
      Recorder late = new Recorder();
      AtomicBoolean armed = new AtomicBoolean(true);
      // The join lands exactly where it used to be lost: after the new connection took its list
      // of channels, before it subscribed them.
      redisBroker.subscriber().afterSnapshot =
          () -> {
            if (armed.getAndSet(false)) {
              redisBroker.subscribe("late", late);
            }
          };
      redisBroker.cutSubscription();
      await().atMost(Duration.ofSeconds(15)).until(() -> !armed.get() && redisBroker.isAvailable());
      sender.publish(new ChatDraft("late", "x", "a", "a", "after the reconnect"));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(late.messages).as("the late room's message").hasSize(1));
    } finally {
      sender.close();
    }
  }

  /** A broker with this test's prefix on {@code store}, not waiting for it to be available. */
  private RedisBroker on(RedisStore store) {
    return new RedisBroker(
        store,
        prefix,
        HistoryLimits.counts(HISTORY, NOTIFICATIONS, 100),
        3600,
        Clock.systemUTC(),
        Executors.defaultThreadFactory(),
        scheduler,
        Runnable::run);
  }

  @Test
  void availabilityFollowsRedis() throws Exception {
    try (RedisProcess own = RedisProcess.start();
        RedisStore store = new RedisStore(java.net.URI.create(own.url()));
        RedisBroker watched = on(store)) {
      await().atMost(Duration.ofSeconds(10)).until(watched::isAvailable);
      own.kill();
      await().atMost(Duration.ofSeconds(10)).until(() -> !watched.isAvailable());
      own.restart();
      await().atMost(Duration.ofSeconds(15)).until(watched::isAvailable);
    }
  }

  @Test
  void everyPooledConnectionInUseIsBusyNotUnreachable() throws Exception {
    RedisStore store = new RedisStore(java.net.URI.create(redis.url()));
    stores.add(store);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(64);
    java.util.concurrent.ExecutorService holders = Executors.newFixedThreadPool(64);
    try {
      for (int i = 0; i < 64; i++) { // the pool's size
        holders.submit(
            () ->
                store.call(
                    jedis -> {
                      held.countDown();
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return jedis.ping();
                    }));
      }
      assertThat(held.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.call(jedis -> jedis.ping()))
          .isInstanceOf(RedisStore.NotSent.class)
          .hasMessageContaining("busy");
      assertThat(store.ping()).as("readiness: Redis answers, this node is just busy").isTrue();
      assertThat(store.isReachable()).isTrue();
    } finally {
      release.countDown();
      holders.shutdown();
    }
    assertThat(store.<String>call(jedis -> jedis.ping())).isEqualTo("PONG");
  }

  @Test
  void presenceCountsUsersAcrossNodesAndForgetsADeadNode() {
    RedisStore store = new RedisStore(java.net.URI.create(redis.url()));
    stores.add(store);
    RedisPresence nodeA = new RedisPresence(store, prefix, "a");
    RedisPresence nodeB = new RedisPresence(store, prefix, "b");
    assertThat(nodeA.enter("p", new Member("bob", "Bob", "c1"))).isTrue();
    assertThat(nodeB.enter("p", new Member("bob", "Bob", "c2"))).isFalse();
    assertThat(nodeB.enter("p", new Member("amy", "Amy", "c3"))).isTrue();
    assertThat(nodeA.members("p", 10).count()).isEqualTo(2);
    assertThat(nodeA.memberCounts()).containsEntry("p", 2);
    List<Signal> left = new CopyOnWriteArrayList<>();
    nodeA.forgetNode("b", left::add);
    assertThat(left).containsExactly(new Signal("p", Signal.Kind.LEAVE, "Amy", "amy"));
    assertThat(nodeA.members("p", 10).names()).containsExactly("Bob");
    assertThat(nodeA.leave("p", new Member("bob", "Bob", "c1"))).isTrue();
    assertThat(nodeA.memberCounts()).doesNotContainKey("p");
  }

  @Test
  void syncMakesThisNodesShareOfARoomExactlyWhatItHasLocally() {
    RedisStore store = new RedisStore(java.net.URI.create(redis.url()));
    stores.add(store);
    RedisPresence nodeA = new RedisPresence(store, prefix, "a");
    RedisPresence nodeB = new RedisPresence(store, prefix, "b");
    nodeA.enter("s", new Member("ghost", "Ghost", "c1")); // its leave was lost in an outage
    nodeB.enter("s", new Member("bob", "Bob", "c2"));
    nodeA.sync("s", List.of(new Member("amy", "Amy", "c3"), new Member("amy", "Amy", "c4")));
    assertThat(nodeA.members("s", 10).names()).containsExactlyInAnyOrder("Amy", "Bob");
    assertThat(nodeA.leave("s", new Member("amy", "Amy", "c3"))).isFalse();
    assertThat(nodeA.leave("s", new Member("amy", "Amy", "c4"))).isTrue();
    nodeA.sync("s", List.of());
    assertThat(nodeA.members("s", 10).names()).containsExactly("Bob");
  }

  @Test
  void theUserRateLimitIsSharedByEveryNode() {
    RedisStore store = new RedisStore(java.net.URI.create(redis.url()));
    stores.add(store);
    RedisUserRates a = new RedisUserRates(store, prefix, 10, 20, Clock.systemUTC());
    RedisUserRates b = new RedisUserRates(store, prefix, 10, 20, Clock.systemUTC());
    int passed = 0;
    for (int i = 0; i < 30; i++) {
      if ((i % 2 == 0 ? a : b).take("carol") == 0) {
        passed++;
      }
    }
    assertThat(passed).isBetween(20, 22);
    assertThat(a.take("dave")).isZero();
  }

  @Test
  void asyncPublishesFailAsUnavailableWhileRedisIsUnreachable() throws Exception {
    RedisStore store =
        new RedisStore(java.net.URI.create("redis://127.0.0.1:" + RedisProcess.freePort()));
    stores.add(store);
    RedisBroker unreachable = on(store);
    try {
      var future = unreachable.publishAsync(new ChatDraft("down", "d1", "a", "a", "lost?"));
      assertThat(future)
          .failsWithin(Duration.ofSeconds(15))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(io.switchboard.broker.BrokerUnavailableException.class);
    } finally {
      unreachable.close();
    }
  }

  @Test
  void aNodeRegistersBeforeItsMembersJoinAndItsReportsKeepThem() {
    RedisStore store = new RedisStore(java.net.URI.create(redis.url()));
    stores.add(store);
    RedisPresence old = new RedisPresence(store, prefix, "n1");
    old.enter("left-over", new Member("ghost", "Ghost", "c0")); // an earlier run of node n1
    RedisPresence presence = new RedisPresence(store, prefix, "n1");
    RedisCluster cluster = new RedisCluster(store, prefix, "n1", presence, (RedisBroker) broker);
    assertThat(cluster.register()).isTrue();
    assertThat(presence.memberCounts())
        .as("the earlier run's members")
        .doesNotContainKey("left-over");
    presence.enter("fresh", new Member("amy", "Amy", "c1"));
    cluster.report(new io.switchboard.broker.NodeStats("n1", 1, 0, 1, 0, 0, 1));
    cluster.report(new io.switchboard.broker.NodeStats("n1", 1, 0, 1, 0, 0, 2));
    assertThat(presence.memberCounts()).containsEntry("fresh", 1);
  }

  @org.junit.jupiter.api.AfterEach
  void closeStores() {
    stores.forEach(RedisStore::close);
    stores.clear();
  }

  @Test
  void historyReadsOfRoomsThatNeverExistedCreateNoKey() {
    for (int i = 0; i < 200; i++) {
      broker.read("nobody-" + i, 0, 10);
      broker.tail("nobody-" + i, 10);
    }
    try (var jedis = redis.client()) {
      assertThat(jedis.keys(prefix + "*")).as("keys under this test's prefix").isEmpty();
    }
    broker.open("somebody");
    try (var jedis = redis.client()) {
      assertThat(jedis.keys(prefix + "*")).as("a join's open keeps the epoch").hasSize(1);
    }
  }
}
