package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RedisProcess;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Failures while traffic flows: a node killed, Redis restarted, a subscription cut. In each, the
 * clients see no lost and no duplicated message, and senders are never acknowledged falsely.
 */
class ChaosIT {

  private final List<AutoCloseable> resources = new ArrayList<>();

  private RedisProcess redis(boolean persistent) throws Exception {
    RedisProcess redis = persistent ? RedisProcess.startPersistent() : RedisProcess.start();
    resources.add(redis);
    return redis;
  }

  private PayaraNode node(String name, RedisProcess redis, String prefix) throws Exception {
    PayaraNode node = PayaraNode.start(name, redis.nodeSettings(prefix));
    resources.add(node);
    return node;
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  private static List<Long> chatOffsets(List<JsonObject> frames) {
    return frames.stream()
        .filter(f -> f.getString("type").equals("chat"))
        .map(f -> f.getJsonNumber("offset").longValue())
        .toList();
  }

  private static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void whenANodeIsKilledItsClientsResumeOnTheOtherAndItsMembersLeave() throws Exception {
    RedisProcess redis = redis(false);
    String prefix = "chaos-" + UUID.randomUUID() + ":";
    PayaraNode doomed = node("doomed", redis, prefix);
    PayaraNode survivor = node("survivor", redis, prefix);
    String room = Fixtures.room();

    WsClient observer = WsClient.connect(survivor.ws("/ws/chat/" + room + "?user=observer"));
    resources.add(observer);
    observer.expect("welcome");
    observer.expect("joined");
    WsClient victim = WsClient.connect(doomed.ws("/ws/chat/" + room + "?user=victim"));
    victim.expect("welcome");
    String epoch = victim.expect("joined").getString("epoch");
    observer.awaitType("presence");

    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicLong last = new AtomicLong();
    Http api = survivor.api();
    CompletableFuture<Void> sender =
        CompletableFuture.runAsync(
            () -> {
              while (sending.get()) {
                last.set(api.publish(room, "tick"));
                sleep(5);
              }
            });
    List<Long> seen = new ArrayList<>(chatOffsets(victim.collect(Duration.ofMillis(700))));
    doomed.kill();
    victim.awaitClose(Duration.ofSeconds(10));
    seen.addAll(chatOffsets(victim.drain(Duration.ofMillis(50))));
    long since = seen.isEmpty() ? 0 : seen.get(seen.size() - 1);

    try (WsClient resumed =
        WsClient.connect(
            survivor.ws("/ws/chat/" + room + "?user=victim&since=" + since + "&epoch=" + epoch))) {
      resumed.expect("welcome");
      assertThat(resumed.expect("joined").getBoolean("recovered")).isTrue();
      seen.addAll(chatOffsets(resumed.collect(Duration.ofMillis(700))));
      sending.set(false);
      sender.get();
      seen.addAll(chatOffsets(resumed.drain(Duration.ofMillis(500))));
    }
    assertThat(last.get()).isGreaterThan(20);
    assertThat(seen).as("no gap, no duplicate").containsExactlyElementsOf(range(1, last.get()));

    // The dead node's members are forgotten within 30 s; the others hear them leave.
    JsonObject leave =
        observer.await(
            f ->
                f.getString("type").equals("presence")
                    && f.getString("event").equals("leave")
                    && f.getString("user").equals("victim"),
            Duration.ofSeconds(30));
    assertThat(leave.getString("room")).isEqualTo(room);
  }

  @Test
  void whileRedisIsDownSendersAreToldAndNothingAckedIsLost() throws Exception {
    RedisProcess redis = redis(true);
    String prefix = "chaos-" + UUID.randomUUID() + ":";
    PayaraNode a = node("redis-a", redis, prefix);
    PayaraNode b = node("redis-b", redis, prefix);
    String room = Fixtures.room();
    WsClient receiver = WsClient.connect(b.ws("/ws/chat/" + room + "?user=receiver"));
    resources.add(receiver);
    receiver.expect("welcome");
    receiver.expect("joined");
    WsClient sender = WsClient.connect(a.ws("/ws/chat/" + room + "?user=sender"));
    resources.add(sender);
    sender.expect("welcome");
    sender.expect("joined");

    Map<String, Long> acked = new HashMap<>();
    Set<String> refused = new HashSet<>();
    List<JsonObject> received = new ArrayList<>();
    int next = 0;
    long phaseEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    next = send(sender, next, phaseEnd, acked, refused);

    redis.kill();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> a.api().get("health/ready").statusCode() == 503);
    var publish = a.api().post("api/rooms/" + room + "/messages", "{\"message\":\"x\"}");
    assertThat(publish.statusCode()).isEqualTo(503);
    assertThat(Http.object(publish.body()).getString("error")).isEqualTo("unavailable");
    phaseEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    next = send(sender, next, phaseEnd, acked, refused);
    assertThat(refused).as("senders are told while Redis is down").isNotEmpty();
    assertThat(a.api().get("health/live").statusCode()).as("the node stays up").isEqualTo(200);
    assertThat(a.api().get("api/stats").statusCode())
        .as("and still shows its own stats")
        .isEqualTo(200);

    redis.restart();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> a.api().get("health/ready").statusCode() == 200);
    phaseEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    int ackedBefore = acked.size();
    send(sender, next, phaseEnd, acked, refused);
    assertThat(acked.size()).as("messages flow again without a restart").isGreaterThan(ackedBefore);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              received.addAll(receiver.drain(Duration.ofMillis(100)));
              Set<String> ids = new HashSet<>();
              received.stream()
                  .filter(f -> f.getString("type").equals("chat"))
                  .forEach(f -> ids.add(f.getString("id")));
              return ids.containsAll(acked.keySet());
            });
    List<Long> offsets = chatOffsets(received);
    assertThat(offsets).as("in order, no duplicate").isSorted().doesNotHaveDuplicates();
    for (JsonObject chat : received) {
      if (chat.getString("type").equals("chat")) {
        assertThat(refused)
            .as("a refused message is never delivered")
            .doesNotContain(chat.getString("id"));
      }
    }
  }

  /** Sends chat frames at 8 per second until the deadline, recording acks and refusals. */
  private static int send(
      WsClient sender, int next, long until, Map<String, Long> acked, Set<String> refused) {
    while (System.nanoTime() < until) {
      String id = "m-" + next++;
      sender.send("{\"type\":\"chat\",\"message\":\"" + id + "\",\"id\":\"" + id + "\"}");
      sleep(125);
      for (JsonObject frame : sender.drain(Duration.ofMillis(1))) {
        record(frame, acked, refused);
      }
    }
    for (JsonObject frame : sender.drain(Duration.ofMillis(2500))) {
      record(frame, acked, refused);
    }
    return next;
  }

  private static void record(JsonObject frame, Map<String, Long> acked, Set<String> refused) {
    switch (frame.getString("type")) {
      case "ack" -> acked.put(frame.getString("id"), frame.getJsonNumber("offset").longValue());
      case "error" -> {
        assertThat(frame.getString("code")).isEqualTo("unavailable");
        assertThat(frame.getJsonNumber("retryAfterMs").longValue()).isPositive();
        refused.add(frame.getString("id"));
      }
      default -> {}
    }
  }

  @Test
  void aNodeWhoseSubscriptionIsCutRecoversWhatItMissed() throws Exception {
    RedisProcess redis = redis(false);
    String prefix = "chaos-" + UUID.randomUUID() + ":";
    PayaraNode a = node("cut-a", redis, prefix);
    PayaraNode b = node("cut-b", redis, prefix);
    String room = Fixtures.room();
    try (WsClient client = WsClient.connect(a.ws("/ws/chat/" + room))) {
      client.expect("welcome");
      client.expect("joined");
      try (var jedis = redis.client()) {
        jedis.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
      }
      for (int i = 0; i < 20; i++) {
        b.api().publish(room, "during the cut " + i);
      }
      List<Long> received = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                received.addAll(chatOffsets(client.drain(Duration.ofMillis(100))));
                return received.size() >= 20;
              });
      assertThat(received).containsExactlyElementsOf(range(1, 20));
      b.api().publish(room, "after");
      assertThat(client.awaitType("chat").getJsonNumber("offset").longValue()).isEqualTo(21);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
