package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RedisProcess;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis stalls past the 2 s read timeout while a backend publishes over HTTP: no publish is
 * answered 503 for a message that was stored, none is stored twice. The WebSocket path has the same
 * test against the broker (RedisFaultsIT).
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

  /**
   * Five publishes while Redis stalls for 3 s. Each is answered either 202 with its offset, and is
   * then in history once at that offset, or 503 (it could not even be sent: a new connection needs
   * Redis to answer), and is then not stored. Never 503 for a message that was stored: that is what
   * the old direct path did.
   */
  @Test
  void httpPublishesDuringAStallAreAnsweredAsTheyEnded() throws Exception {
    String room = Fixtures.room();
    Http api = new Http(node.http());
    assertThat(api.post("api/rooms/" + room + "/messages", "{\"message\":\"before\"}").statusCode())
        .isEqualTo(202);
    Thread sleeper = redis.stall(3);
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String body = "{\"message\":\"during " + i + "\"}";
      answers.add(
          CompletableFuture.supplyAsync(() -> api.post("api/rooms/" + room + "/messages", body)));
    }
    Map<String, Long> acknowledged = new HashMap<>();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> answer = answers.get(i).get(30, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.body()).isIn(202, 503);
      if (answer.statusCode() == 202) {
        acknowledged.put(
            "during " + i, Http.object(answer.body()).getJsonNumber("offset").longValue());
      }
    }
    sleeper.join();
    Map<String, Long> stored = new HashMap<>();
    List<String> storedTexts = new ArrayList<>();
    JsonObject page = Http.object(api.get("api/rooms/" + room + "/messages?limit=100").body());
    for (JsonValue value : page.getJsonArray("messages")) {
      JsonObject message = value.asJsonObject();
      if (message.getString("message").startsWith("during ")) {
        storedTexts.add(message.getString("message"));
        stored.put(message.getString("message"), message.getJsonNumber("offset").longValue());
      }
    }
    System.out.printf("Redis stall: %d of 5 HTTP publishes answered 202%n", acknowledged.size());
    assertThat(storedTexts).as("each stored at most once").doesNotHaveDuplicates();
    assertThat(stored)
        .as("stored exactly the acknowledged ones, at their offsets")
        .isEqualTo(acknowledged);
  }
}
