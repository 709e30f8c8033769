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
    Thread.sleep(1500);
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
    Set<String> delivered = new HashSet<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              observer.drain(Duration.ofMillis(100)).stream()
                  .filter(f -> f.getString("type").equals("chat"))
                  .forEach(f -> delivered.add(f.getString("id")));
              return delivered.containsAll(acked);
            });

    try (WsClient resumed =
        WsClient.connect(
            staying.ws("/ws/chat/" + room + "?user=sender&since=" + lastAck + "&epoch=" + epoch))) {
      resumed.expect("welcome");
      assertThat(resumed.expect("joined").getBoolean("recovered")).isTrue();
    }
  }
}
