package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RedisProcess;
import io.switchboard.it.support.SseClient;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two real Payara Micro nodes on one real Redis behave as one server. */
class ClusterIT {

  private static RedisProcess redis;
  private static PayaraNode a;
  private static PayaraNode b;

  @BeforeAll
  static void startCluster() throws Exception {
    redis = RedisProcess.start();
    Map<String, String> config = redis.nodeSettings("it-" + UUID.randomUUID() + ":");
    a = PayaraNode.start("node-a", config);
    b = PayaraNode.start("node-b", config); // one after the other: starting both at once is slower
  }

  @AfterAll
  static void stopCluster() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static List<Long> chatOffsets(List<JsonObject> frames) {
    return frames.stream()
        .filter(f -> f.getString("type").equals("chat"))
        .map(f -> f.getJsonNumber("offset").longValue())
        .toList();
  }

  @Test
  void concurrentSendersOnBothNodesShareOneOffsetSequenceAndEveryoneSeesItInOrder()
      throws Exception {
    String room = Fixtures.room();
    try (WsClient onA = WsClient.connect(a.ws("/ws/chat/" + room));
        WsClient onB = WsClient.connect(b.ws("/ws/chat/" + room))) {
      onA.expect("welcome");
      onA.expect("joined");
      onB.expect("welcome");
      onB.expect("joined");
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Long> offsets = Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < 4; t++) {
        PayaraNode node = t % 2 == 0 ? a : b;
        pool.submit(
            () -> {
              Http api = node.api();
              for (int i = 0; i < 50; i++) {
                offsets.add(api.publish(room, node.name() + " " + i));
              }
            });
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      List<Long> expected = new ArrayList<>(offsets);
      Collections.sort(expected);
      assertThat(expected).doesNotHaveDuplicates().hasSize(200).startsWith(1L).endsWith(200L);
      for (WsClient client : List.of(onA, onB)) {
        List<Long> received = new ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> {
                  received.addAll(chatOffsets(client.drain(Duration.ofMillis(100))));
                  return received.size() >= 200;
                });
        assertThat(received).containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void chatSentOnOneNodeIsAckedAndReachesMembersOnTheOther() {
    String room = Fixtures.room();
    try (WsClient alice = WsClient.connect(a.ws("/ws/chat/" + room + "?user=alice"));
        WsClient bob = WsClient.connect(b.ws("/ws/chat/" + room + "?user=bob"))) {
      alice.expect("welcome");
      alice.expect("joined");
      bob.expect("welcome");
      assertThat(bob.expect("joined").getInt("memberCount")).isEqualTo(2);
      JsonObject join = alice.awaitType("presence");
      assertThat(join.getString("event")).isEqualTo("join");
      assertThat(join.getString("user")).isEqualTo("bob");
      bob.send("{\"type\":\"chat\",\"message\":\"hello from b\",\"id\":\"b-1\"}");
      assertThat(bob.awaitType("ack").getString("id")).isEqualTo("b-1");
      JsonObject atAlice = alice.awaitType("chat");
      assertThat(atAlice.getString("message")).isEqualTo("hello from b");
      assertThat(atAlice.getString("user")).isEqualTo("bob");
      bob.send("{\"type\":\"typing\"}");
      assertThat(alice.awaitType("typing").getString("user")).isEqualTo("bob");
      bob.send("{\"type\":\"leave\"}");
      JsonObject leave = alice.awaitType("presence");
      assertThat(leave.getString("event")).isEqualTo("leave");
      assertThat(leave.getString("user")).isEqualTo("bob");
    }
  }

  @Test
  void aClientResumesOnTheOtherNodeWithoutGapOrDuplicate() {
    String room = Fixtures.room();
    for (int i = 0; i < 10; i++) {
      a.api().publish(room, "before " + i);
    }
    long since;
    String epoch;
    try (WsClient client = WsClient.connect(a.ws("/ws/chat/" + room + "?history=4"))) {
      client.expect("welcome");
      epoch = client.expect("joined").getString("epoch");
      List<Long> seen = chatOffsets(client.drain(Duration.ofMillis(300)));
      assertThat(seen).containsExactly(7L, 8L, 9L, 10L);
      since = seen.get(seen.size() - 1);
    }
    for (int i = 0; i < 5; i++) {
      a.api().publish(room, "while away " + i);
    }
    try (WsClient client =
        WsClient.connect(b.ws("/ws/chat/" + room + "?since=" + since + "&epoch=" + epoch))) {
      client.expect("welcome");
      JsonObject joined = client.expect("joined");
      assertThat(joined.getBoolean("recovered")).isTrue();
      assertThat(joined.getString("epoch")).isEqualTo(epoch);
      assertThat(chatOffsets(client.drain(Duration.ofMillis(300))))
          .containsExactly(11L, 12L, 13L, 14L, 15L);
    }
  }

  @Test
  void aNotificationPublishedOnOneNodeReachesSubscribersOnTheOtherAndResumesAnywhere() {
    String topic = Fixtures.topic();
    String lastId;
    try (SseClient onB = SseClient.open(b.http().resolve("api/events?topics=" + topic))) {
      onB.next(Duration.ofSeconds(5));
      HttpResponseCheck.accepted(
          a.api().post("api/notifications", "{\"topic\":\"" + topic + "\",\"data\":1}"));
      lastId = onB.nextData().id();
    }
    List<String> published = new ArrayList<>();
    for (int i = 2; i <= 4; i++) {
      published.add(
          Long.toString(
              Http.object(
                      a.api()
                          .post(
                              "api/notifications",
                              "{\"topic\":\"" + topic + "\",\"data\":" + i + "}")
                          .body())
                  .getJsonNumber("id")
                  .longValue()));
    }
    try (SseClient onA =
        SseClient.open(
            a.http().resolve("api/events?topics=" + topic), Map.of("Last-Event-ID", lastId))) {
      List<String> replayed = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        replayed.add(onA.nextData().id());
      }
      assertThat(replayed).containsExactlyElementsOf(published);
    }
  }

  @Test
  void statsListEveryLiveNodeAndRoomsAreClusterWide() {
    String room = Fixtures.room();
    try (WsClient onB = WsClient.connect(b.ws("/ws/chat/" + room))) {
      onB.expect("welcome");
      onB.expect("joined");
      a.api().publish(room, "x");
      assertThat(onB.expect("chat").getString("message")).isEqualTo("x");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                JsonObject stats = Http.object(a.api().get("api/stats").body());
                assertThat(stats.getJsonArray("nodes"))
                    .extracting(n -> n.asJsonObject().getString("node"))
                    .contains("node-a", "node-b");
                assertThat(stats.getJsonObject("totals").getInt("connections"))
                    .isGreaterThanOrEqualTo(1);
              });
      // Presence across nodes is eventually consistent (a node restored after a false death
      // re-registers its members within a sweep), so the listing is awaited, not read once.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(onB.isClosed())
                    .as("closed %s %s", onB.closeCode(), onB.closeReason())
                    .isFalse();
                JsonObject listed =
                    Http.json(a.api().get("api/rooms").body()).asJsonArray().stream()
                        .map(v -> v.asJsonObject())
                        .filter(r -> r.getString("room").equals(room))
                        .findFirst()
                        .orElseThrow();
                assertThat(listed.getInt("members"))
                    .as(
                        "%s; on b: %s; stats on b: %s",
                        listed, b.api().get("api/rooms").body(), b.api().get("api/stats").body())
                    .isEqualTo(1);
                assertThat(listed.getJsonNumber("offset").longValue())
                    .as("%s", listed)
                    .isEqualTo(1);
              });
    }
  }

  @Test
  void theRateLimitOfAUserSpansItsConnectionsOnEveryNode() {
    String user = Fixtures.user();
    try (WsClient onA = WsClient.connect(a.ws("/ws/chat?user=" + user));
        WsClient onB = WsClient.connect(b.ws("/ws/chat?user=" + user))) {
      onA.expect("welcome");
      onB.expect("welcome");
      for (int i = 0; i < 15; i++) {
        onA.send("{\"type\":\"typing\",\"room\":\"x\"}");
        onB.send("{\"type\":\"typing\",\"room\":\"x\"}");
      }
      List<JsonObject> errors = new ArrayList<>(onA.drain(Duration.ofMillis(500)));
      errors.addAll(onB.drain(Duration.ofMillis(500)));
      assertThat(errors.stream().filter(e -> e.getString("code").equals("rate_limited")).count())
          .as("30 frames of one user on two nodes against one burst of 20")
          .isGreaterThanOrEqualTo(5);
    }
  }

  @Test
  void aChatIdRepeatedOnTheOtherNodeIsAckedWithTheOriginalOffsetAndDeliveredOnce() {
    String room = Fixtures.room();
    String user = Fixtures.user();
    try (WsClient onA = WsClient.connect(a.ws("/ws/chat/" + room + "?user=" + user));
        WsClient watcher =
            WsClient.connect(b.ws("/ws/chat/" + room + "?user=" + Fixtures.user()))) {
      onA.expect("welcome");
      onA.expect("joined");
      watcher.expect("welcome");
      watcher.expect("joined");
      onA.send("{\"type\":\"chat\",\"message\":\"once\",\"id\":\"r-1\"}");
      long offset = onA.awaitType("ack").getJsonNumber("offset").longValue();
      assertThat(watcher.awaitType("chat").getJsonNumber("offset").longValue()).isEqualTo(offset);
      try (WsClient onB = WsClient.connect(b.ws("/ws/chat/" + room + "?user=" + user))) {
        onB.expect("welcome");
        onB.expect("joined");
        onB.send("{\"type\":\"chat\",\"message\":\"once\",\"id\":\"r-1\"}");
        JsonObject ack = onB.awaitType("ack");
        assertThat(ack.getJsonNumber("offset").longValue())
            .as("the same user's same id, on the other node")
            .isEqualTo(offset);
      }
      watcher.expectSilence(Duration.ofMillis(700)); // no second copy of "once"
    }
  }

  @Test
  void bothNodesAreReady() {
    for (PayaraNode node : List.of(a, b)) {
      var response = node.api().get("health/ready");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).contains("UP");
    }
  }

  /** Small assertion helper for HTTP answers. */
  static final class HttpResponseCheck {
    static void accepted(java.net.http.HttpResponse<String> response) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }
  }
}
