package io.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RedisProcess;
import io.switchboard.it.support.SseClient;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to a node: its clients get 1012, nothing it acknowledged is lost, they resume elsewhere.
 */
class DrainIT {

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  @Test
  void onSigtermClientsGet1012AndEveryAcknowledgedMessageIsDelivered() throws Exception {
    RedisProcess redis = RedisProcess.start();
    resources.add(redis);
    Map<String, String> config = redis.nodeSettings("drain-" + UUID.randomUUID() + ":");
    PayaraNode leaving = PayaraNode.start("leaving", config);
    resources.add(leaving);
    PayaraNode staying = PayaraNode.start("staying", config);
    resources.add(staying);
    String room = Fixtures.room();

    WsClient observer = WsClient.connect(staying.ws("/ws/chat/" + room + "?user=observer"));
    resources.add(observer);
    observer.expect("welcome");
    observer.expect("joined");
    WsClient sender = WsClient.connect(leaving.ws("/ws/chat/" + room + "?user=sender"));
    resources.add(sender);
    sender.expect("welcome");
    String epoch = sender.expect("joined").getString("epoch");
    SseClient stream = SseClient.open(leaving.http().resolve("api/events"));
    resources.add(stream);
    stream.next(Duration.ofSeconds(5));

    CompletableFuture<Void> sending =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < 200 && !sender.isClosed(); i++) {
                try {
                  sender.send(
                      "{\"type\":\"chat\",\"message\":\"m" + i + "\",\"id\":\"m-" + i + "\"}");
                  Thread.sleep(110);
                } catch (Exception closedMeanwhile) {
                  return;
                }
              }
            });
    Set<String> delivered = new HashSet<>();
    await() // the node goes down in the middle of a conversation
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              collectChats(observer, delivered);
              return delivered.size() >= 10;
            });
    leaving.stop(); // SIGTERM, and wait for the JVM to exit
    assertThat(sender.awaitClose(Duration.ofSeconds(20))).isEqualTo(1012);
    assertThat(sender.closeReason()).isEqualTo("Service restart");
    sending.get();
    await().atMost(Duration.ofSeconds(10)).until(stream::ended);

    Set<String> acked = new HashSet<>();
    long lastAck = 0;
    for (JsonObject frame : sender.drain(Duration.ofMillis(100))) {
      if (frame.getString("type").equals("ack")) {
        acked.add(frame.getString("id"));
        lastAck = Math.max(lastAck, frame.getJsonNumber("offset").longValue());
      }
    }
    assertThat(acked).isNotEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              collectChats(observer, delivered);
              return delivered.containsAll(acked);
            });

    try (WsClient resumed =
        WsClient.connect(
            staying.ws("/ws/chat/" + room + "?user=sender&since=" + lastAck + "&epoch=" + epoch))) {
      resumed.expect("welcome");
      assertThat(resumed.expect("joined").getBoolean("recovered")).isTrue();
    }
  }

  /**
   * A drain waits for the answers of messages still being stored: here Redis stalls for 4 s just as
   * the node is told to stop, past the Redis read timeout (2 s) and past what the drain used to
   * wait (2 s). Every message the sender sent before the SIGTERM gets its ack before the 1012.
   */
  @Test
  void aDrainWaitsForTheAnswersOfMessagesRedisIsSlowToStore() throws Exception {
    RedisProcess redis = RedisProcess.start(List.of("--enable-debug-command", "yes"));
    resources.add(redis);
    PayaraNode node =
        PayaraNode.start("draining", redis.nodeSettings("slow-" + UUID.randomUUID() + ":"));
    resources.add(node);
    String room = Fixtures.room();
    WsClient sender = WsClient.connect(node.ws("/ws/chat/" + room + "?user=sender"));
    resources.add(sender);
    sender.expect("welcome");
    sender.expect("joined");

    Thread sleeper = redis.stall(4);
    for (int i = 0; i < 5; i++) {
      sender.send("{\"type\":\"chat\",\"message\":\"late " + i + "\",\"id\":\"d-" + i + "\"}");
    }
    sender.assertAlive(); // the node has read all five: they are being stored
    CompletableFuture<Void> stopping =
        CompletableFuture.runAsync(
            () -> {
              try {
                node.stop();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    assertThat(sender.awaitClose(Duration.ofSeconds(30))).isEqualTo(1012);
    stopping.get();
    sleeper.join();
    List<JsonObject> answers = sender.drain(Duration.ofMillis(100));
    assertThat(answers)
        .as("every message sent before the SIGTERM is answered, and stored")
        .filteredOn(f -> f.getString("type").equals("ack"))
        .extracting(f -> f.getString("id"))
        .containsExactly("d-0", "d-1", "d-2", "d-3", "d-4");
    assertThat(answers).noneMatch(f -> f.getString("type").equals("error"));
  }

  private static void collectChats(WsClient observer, Set<String> delivered) {
    observer.drain(Duration.ofMillis(100)).stream()
        .filter(f -> f.getString("type").equals("chat"))
        .forEach(f -> delivered.add(f.getString("id")));
  }
}
