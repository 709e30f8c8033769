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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Redis loses data under live members (FLUSHALL, a snapshot restored under the same epoch): the
 * members on both nodes are told (a new {@code joined} with {@code recovered: false} and a new
 * epoch) and then get every later message once, in order; event streams get {@code resync} and
 * every later notification.
 */
class RedisLossIT {

  private static RedisProcess redis;
  private static PayaraNode a;
  private static PayaraNode b;
  private static String prefix;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisProcess.start();
    prefix = "loss-" + UUID.randomUUID() + ":";
    a = PayaraNode.start("loss-a", redis.nodeSettings(prefix));
    b = PayaraNode.start("loss-b", redis.nodeSettings(prefix));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable resource : new AutoCloseable[] {a, b, redis}) {
      try {
        if (resource != null) {
          resource.close();
        }
      } catch (Exception e) {
        // closing anyway
      }
    }
  }

  private static WsClient member(PayaraNode node, String room) {
    WsClient client = WsClient.connect(node.ws("/ws/chat/" + room + "?user=" + Fixtures.user()));
    client.expect("welcome");
    client.expect("joined");
    return client;
  }

  private static long send(WsClient sender, String text) {
    sender.send("{\"type\":\"chat\",\"message\":\"" + text + "\",\"id\":\"" + text + "\"}");
    JsonObject ack = sender.awaitType("ack");
    assertThat(ack.getString("id")).isEqualTo(text);
    return ack.getJsonNumber("offset").longValue();
  }

  /** The frames a member gets until {@code last} arrived, and the next 300 ms. */
  private static List<JsonObject> framesUntil(WsClient member, String last) {
    List<JsonObject> frames = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              frames.addAll(member.drain(Duration.ofMillis(50)));
              return frames.stream()
                  .anyMatch(
                      f ->
                          "chat".equals(f.getString("type"))
                              && last.equals(f.getString("message")));
            });
    frames.addAll(member.drain(Duration.ofMillis(300))); // and nothing after it
    return frames;
  }

  private static List<String> shape(List<JsonObject> frames) {
    List<String> out = new ArrayList<>();
    for (JsonObject f : frames) {
      switch (f.getString("type")) {
        case "chat" -> out.add(f.getJsonNumber("offset") + ":" + f.getString("message"));
        case "joined" -> out.add("joined recovered=" + f.get("recovered"));
        default -> {}
      }
    }
    return out;
  }

  @Test
  void afterFlushAllMembersOnBothNodesGetANewJoinedThenEveryLaterMessageOnce() {
    String room = Fixtures.room();
    try (WsClient sender = member(a, room);
        WsClient onA = member(a, room);
        WsClient onB = member(b, room)) {
      for (int i = 1; i <= 3; i++) {
        send(sender, "before-" + i);
      }
      framesUntil(onB, "before-3");
      framesUntil(onA, "before-3");
      String oldEpoch = epochOf(a, room);
      try (Jedis jedis = redis.client()) {
        jedis.flushAll(); // Redis restarted without persistence, as far as the nodes can tell
      }
      for (int i = 1; i <= 4; i++) {
        send(sender, "after-" + i);
      }
      for (WsClient member : List.of(onA, onB)) {
        List<JsonObject> frames = framesUntil(member, "after-4");
        assertThat(shape(frames))
            .containsExactly(
                "joined recovered=false", "1:after-1", "2:after-2", "3:after-3", "4:after-4");
        JsonObject joined =
            frames.stream().filter(f -> "joined".equals(f.getString("type"))).findFirst().get();
        assertThat(joined.getString("epoch")).as("a new epoch").isNotEqualTo(oldEpoch);
      }
    }
  }

  @Test
  void aSnapshotRestoredUnderTheSameEpochGivesANewEpochAndEveryLaterMessageOnce() {
    String room = Fixtures.room();
    try (WsClient sender = member(a, room);
        WsClient onB = member(b, room)) {
      for (int i = 1; i <= 5; i++) {
        send(sender, "first-" + i);
      }
      framesUntil(onB, "first-5");
      String epoch = epochOf(a, room);
      try (Jedis jedis = redis.client()) {
        // The state of offset 2, restored: the offset and the log set back, the epoch kept.
        String key = prefix + "room:{" + room + "}";
        jedis.set(key + ":offset", "2");
        jedis.ltrim(key + ":log", 0, 1);
        jedis.del(key + ":bytes");
      }
      send(sender, "restored-3");
      send(sender, "restored-4");
      List<JsonObject> frames = framesUntil(onB, "restored-4");
      assertThat(shape(frames))
          .containsExactly(
              "joined recovered=false", "1:first-1", "2:first-2", "3:restored-3", "4:restored-4");
      JsonObject joined =
          frames.stream().filter(f -> "joined".equals(f.getString("type"))).findFirst().get();
      assertThat(joined.getString("epoch"))
          .as("the set-back history has an epoch of its own")
          .isNotEqualTo(epoch);
      assertThat(epochOf(b, room)).isEqualTo(joined.getString("epoch"));
    }
  }

  @Test
  void afterFlushAllEventStreamsGetResyncThenEveryLaterNotification() {
    String topic = Fixtures.topic();
    Http api = a.api();
    try (SseClient stream = SseClient.open(b.http().resolve("api/events?topics=" + topic))) {
      stream.next(Duration.ofSeconds(5));
      for (int i = 1; i <= 3; i++) {
        api.post(
            "api/notifications", "{\"topic\":\"" + topic + "\",\"data\":\"before-" + i + "\"}");
      }
      assertThat(stream.nextData().json().getString("data")).isEqualTo("before-1");
      assertThat(stream.nextData().json().getString("data")).isEqualTo("before-2");
      assertThat(stream.nextData().json().getString("data")).isEqualTo("before-3");
      try (Jedis jedis = redis.client()) {
        jedis.flushAll();
      }
      for (int i = 1; i <= 3; i++) {
        api.post("api/notifications", "{\"topic\":\"" + topic + "\",\"data\":\"after-" + i + "\"}");
      }
      SseClient.Event resync = stream.nextData();
      assertThat(resync.name()).isEqualTo("resync");
      List<String> after = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        after.add(stream.nextData().json().getString("data"));
      }
      assertThat(after).containsExactly("after-1", "after-2", "after-3");
      assertThat(stream.drainData(Duration.ofMillis(500))).as("nothing twice").isEmpty();
    }
  }

  private static String epochOf(PayaraNode node, String room) {
    return Http.object(node.api().get("api/rooms/" + room + "/messages?limit=1").body())
        .getString("epoch");
  }
}
