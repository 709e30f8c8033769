package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RedisProcess;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.ClientType;

/**
 * Faults of one node against a real Redis, with a second node watching: its history reads refused
 * while it fills a gap, its subscription cut under 5,000 rooms, its reports late (the process
 * paused past the cluster's timeout). Each test asserts what the clients on both nodes saw.
 */
class NodeFaultsIT {

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void stop() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        // closing anyway
      }
    }
    resources.clear();
  }

  private <T extends AutoCloseable> T keep(T resource) {
    resources.add(resource);
    return resource;
  }

  private WsClient member(PayaraNode node, String room, String user) {
    WsClient client = keep(WsClient.connect(node.ws("/ws/chat/" + room + "?user=" + user)));
    client.expect("welcome");
    client.expect("joined");
    return client;
  }

  private static List<String> messages(List<JsonObject> frames) {
    return frames.stream()
        .filter(f -> "chat".equals(f.getString("type")))
        .map(f -> f.getString("message"))
        .toList();
  }

  /** The chat messages a member receives until it has {@code count}, and 300 ms more. */
  private static List<String> receive(WsClient member, int count, Duration within) {
    List<JsonObject> frames = new ArrayList<>();
    await()
        .atMost(within)
        .until(
            () -> {
              frames.addAll(member.drain(Duration.ofMillis(50)));
              return messages(frames).size() >= count;
            });
    frames.addAll(member.drain(Duration.ofMillis(300)));
    return messages(frames);
  }

  @Test
  void aGapFillThatRedisRefusesIsRetriedUntilTheMembersHaveEveryMessage() throws Exception {
    RedisProcess redis = keep(RedisProcess.start());
    String prefix = "gap-" + UUID.randomUUID() + ":";
    try (Jedis admin = redis.client()) {
      admin.aclSetUser("nodeb", "on", ">secret", "~*", "&*", "+@all");
    }
    PayaraNode a = keep(PayaraNode.start("gap-a", redis.nodeSettings(prefix)));
    Map<String, String> asB = new HashMap<>(redis.nodeSettings(prefix));
    asB.put("switchboard.redis.url", "redis://nodeb:secret@127.0.0.1:" + redis.port());
    PayaraNode b = keep(PayaraNode.start("gap-b", asB));
    String room = Fixtures.room();
    WsClient onB = member(b, room, "reader");
    WsClient onA = member(a, room, "witness");
    a.api().publish(room, "m1");
    assertThat(receive(onB, 1, Duration.ofSeconds(10))).containsExactly("m1");

    try (Jedis admin = redis.client()) {
      // Node b can neither subscribe again nor run scripts (its history reads are scripts): its
      // subscription is cut, and it misses what node a publishes meanwhile.
      admin.aclSetUser("nodeb", "-subscribe", "-evalsha", "-eval");
      admin.sendCommand(Protocol.Command.CLIENT, "KILL", "USER", "nodeb", "TYPE", "pubsub");
      for (int i = 2; i <= 6; i++) {
        a.api().publish(room, "m" + i);
      }
      assertThat(receive(onA, 6, Duration.ofSeconds(10))).hasSize(6);
      // It may subscribe again: the resync's history read is refused, and refused again...
      admin.aclSetUser("nodeb", "+subscribe");
      long refusedBefore = refusedScripts(admin);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> refusedScripts(admin) >= refusedBefore + 3);
      assertThat(messages(onB.drain(Duration.ofMillis(200))))
          .as("nothing is skipped while the fill fails")
          .isEmpty();
      // ...until Redis serves it again.
      admin.aclSetUser("nodeb", "+evalsha", "+eval");
    }
    assertThat(receive(onB, 5, Duration.ofSeconds(15)))
        .as("every missed message, once, in order")
        .containsExactly("m2", "m3", "m4", "m5", "m6");
    a.api().publish(room, "m7");
    assertThat(receive(onB, 1, Duration.ofSeconds(10))).containsExactly("m7");
  }

  /** How many script calls of node b Redis refused so far (its ACL log counts repeats). */
  private static long refusedScripts(Jedis admin) {
    long count = 0;
    for (var entry : admin.aclLog()) {
      if ("nodeb".equals(entry.getUsername()) && entry.getObject().startsWith("eval")) {
        count += entry.getCount();
      }
    }
    return count;
  }

  @Test
  void aSubscriptionCutUnder5000RoomsIsRestoredOnceAndAnUnrelatedRoomStaysFast() throws Exception {
    RedisProcess redis = keep(RedisProcess.start());
    String prefix = "many-" + UUID.randomUUID() + ":";
    Map<String, String> lifted = new HashMap<>(redis.nodeSettings(prefix));
    lifted.put("switchboard.limits.rooms-per-connection", "6000");
    lifted.put("switchboard.ratelimit.per-second", "100000");
    lifted.put("switchboard.ratelimit.burst", "100000");
    lifted.put("switchboard.limits.bytes-per-second", "0");
    lifted.put("switchboard.client.max-queued", "20000");
    PayaraNode a = keep(PayaraNode.start("many-a", lifted));
    PayaraNode b = keep(PayaraNode.start("many-b", lifted));
    String base = "many-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    WsClient crowd = member(a, base + 0, "crowd");
    for (int batch = 0; batch < 10; batch++) {
      for (int i = 1; i <= 500; i++) {
        crowd.send("{\"type\":\"join\",\"room\":\"" + base + (batch * 500 + i) + "\"}");
      }
      for (int i = 0; i < 500; i++) {
        crowd.expect("joined");
      }
    }
    String unrelated = Fixtures.room();
    WsClient listener = member(a, unrelated, "listener");
    WsClient talker = member(b, unrelated, "talker");

    try (Jedis admin = redis.client()) {
      Set<Long> before = pubsubClients(admin);
      long cutAt = System.nanoTime();
      admin.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub");
      // One of the 5,000 rooms gets a message while node a is unsubscribed: the resync brings it.
      b.api().publish(base + 4321, "during the cut");
      long worst = 0;
      int n = 0;
      while (System.nanoTime() - cutAt < TimeUnit.SECONDS.toNanos(6)) {
        long sent = System.nanoTime();
        String text = "ping-" + n++;
        talker.send("{\"type\":\"chat\",\"message\":\"" + text + "\",\"id\":\"" + text + "\"}");
        listener.await(
            f -> "chat".equals(f.getString("type")) && text.equals(f.getString("message")),
            Duration.ofSeconds(10));
        worst = Math.max(worst, System.nanoTime() - sent);
        Thread.sleep(100);
      }
      System.out.printf(
          "Subscription cut under 5,000 rooms: %d messages, worst cross-node latency %d ms%n",
          n, TimeUnit.NANOSECONDS.toMillis(worst));
      assertThat(Duration.ofNanos(worst))
          .as("cross-node latency in an unrelated room during the resubscription")
          .isLessThan(Duration.ofSeconds(1));
      JsonObject missed =
          crowd.await(
              f -> "chat".equals(f.getString("type")) && (base + 4321).equals(f.getString("room")),
              Duration.ofSeconds(15));
      assertThat(missed.getString("message")).isEqualTo("during the cut");
      Set<Long> after = pubsubClients(admin);
      assertThat(after).hasSize(2).doesNotContainAnyElementsOf(before);
      Thread.sleep(5000); // a resubscription loop would show as new connections meanwhile
      assertThat(pubsubClients(admin)).as("subscribed once, not in a loop").isEqualTo(after);
    }
    b.api().publish(base + 17, "after");
    assertThat(
            crowd
                .await(
                    f ->
                        "chat".equals(f.getString("type"))
                            && "after".equals(f.getString("message")),
                    Duration.ofSeconds(10))
                .getString("room"))
        .isEqualTo(base + 17);
  }

  private static Set<Long> pubsubClients(Jedis admin) {
    Set<Long> ids = new TreeSet<>();
    for (String line : admin.clientList(ClientType.PUBSUB).split("\n")) {
      if (line.startsWith("id=")) {
        ids.add(Long.parseLong(line.substring(3, line.indexOf(' '))));
      }
    }
    return ids;
  }

  @Test
  void aNodeTakenForDeadAfterAPausePutsItsMembersBackEverywhere() throws Exception {
    RedisProcess redis = keep(RedisProcess.start());
    String prefix = "pause-" + UUID.randomUUID() + ":";
    PayaraNode a = keep(PayaraNode.start("pause-a", redis.nodeSettings(prefix)));
    PayaraNode b = keep(PayaraNode.start("pause-b", redis.nodeSettings(prefix)));
    String room = Fixtures.room();
    WsClient sleeper = member(a, room, "sleeper");
    WsClient observer = member(b, room, "observer");
    assertThat(members(b, room)).isEqualTo(2);

    signal(a, "STOP"); // a long pause (a VM frozen, a full GC): no report for longer than 20 s
    try {
      observer.await(
          f ->
              "presence".equals(f.getString("type"))
                  && "leave".equals(f.getString("event"))
                  && "sleeper".equals(f.getString("user")),
          Duration.ofSeconds(40));
      assertThat(members(b, room)).isEqualTo(1);
    } finally {
      signal(a, "CONT");
    }
    JsonObject back =
        observer.await(
            f ->
                "presence".equals(f.getString("type"))
                    && "join".equals(f.getString("event"))
                    && "sleeper".equals(f.getString("user")),
            Duration.ofSeconds(15));
    assertThat(back.getString("room")).isEqualTo(room);
    assertThat(members(b, room)).as("restored for good").isEqualTo(2);
    Thread.sleep(5000); // several reports and sweeps later
    assertThat(members(b, room)).isEqualTo(2);
    sleeper.send("{\"type\":\"chat\",\"message\":\"awake\",\"id\":\"w1\"}");
    assertThat(sleeper.awaitType("ack").getString("id")).isEqualTo("w1");
    assertThat(
            observer
                .await(
                    f ->
                        "chat".equals(f.getString("type"))
                            && "awake".equals(f.getString("message")),
                    Duration.ofSeconds(10))
                .getString("user"))
        .isEqualTo("sleeper");
  }

  @Test
  void aRoomLeavesTheNodesIndexWithItsLastConnection() throws Exception {
    RedisProcess redis = keep(RedisProcess.start());
    String prefix = "index-" + UUID.randomUUID() + ":";
    PayaraNode a = keep(PayaraNode.start("index-a", redis.nodeSettings(prefix)));
    String kept = Fixtures.room();
    String left = Fixtures.room();
    member(a, kept, "stays");
    WsClient first = member(a, left, "one");
    WsClient second = member(a, left, "two");
    String index = prefix + "node:{index-a}:room-connections";
    try (Jedis admin = redis.client()) {
      assertThat(admin.hgetAll(index)).containsEntry(kept, "1").containsEntry(left, "2");
      first.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> "1".equals(admin.hget(index, left)));
      second.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> !admin.hexists(index, left));
      assertThat(admin.hgetAll(index)).containsOnlyKeys(kept);
    }
  }

  private static int members(PayaraNode node, String room) {
    for (JsonValue value : Http.json(node.api().get("api/rooms").body()).asJsonArray()) {
      JsonObject entry = value.asJsonObject();
      if (room.equals(entry.getString("room"))) {
        return entry.getInt("members");
      }
    }
    return 0;
  }

  private static void signal(PayaraNode node, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).start();
    assertThat(kill.waitFor()).isZero();
  }
}
