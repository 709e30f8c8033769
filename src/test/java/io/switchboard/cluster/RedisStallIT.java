package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RedisProcess;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis stalls past the 2 s read timeout while a backend publishes over HTTP: the publish is
 * answered with its offset once Redis is back (not 503 for a message that was stored), and members
 * get it once. The WebSocket path has the same test against the broker (RedisFaultsIT).
 */
class RedisStallIT {

  private static RedisProcess redis;
  private static PayaraNode node;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisProcess.start(List.of("--enable-debug-command", "yes"));
    node = PayaraNode.start("stall", redis.nodeSettings("stall-" + UUID.randomUUID() + ":"));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void anHttpPublishDuringAStallIsAnsweredWithItsOffsetAndDeliveredOnce() throws Exception {
    String room = Fixtures.room();
    try (WsClient member =
        WsClient.connect(node.ws("/ws/chat/" + room + "?user=" + Fixtures.user()))) {
      member.expect("welcome");
      member.expect("joined");
      Thread sleeper = redis.stall(3);
      HttpResponse<String> published =
          new Http(node.http())
              .post("api/rooms/" + room + "/messages", "{\"message\":\"during the stall\"}");
      sleeper.join();
      assertThat(published.statusCode()).as(published.body()).isEqualTo(202);
      assertThat(Http.object(published.body()).getJsonNumber("offset").longValue()).isEqualTo(1);

      List<JsonObject> chats = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                member.drain(Duration.ofMillis(100)).stream()
                    .filter(f -> f.getString("type").equals("chat"))
                    .forEach(chats::add);
                return !chats.isEmpty();
              });
      member.drain(Duration.ofMillis(500)).stream()
          .filter(f -> f.getString("type").equals("chat"))
          .forEach(chats::add);
      assertThat(chats).as("delivered once").hasSize(1);
      assertThat(chats.get(0).getString("message")).isEqualTo("during the stall");
    }
  }
}
