package io.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RawSse;
import io.switchboard.it.support.RawWs;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node's connect rate ({@code switchboard.limits.connect-rate}): past it a WebSocket handshake
 * or an event stream is answered 503 with {@code Retry-After}, the connections already open are
 * untouched, and a client that retries after the wait is admitted. A node of its own at 1
 * connection per second (a burst of 2).
 */
class ConnectRateIT {

  private static PayaraNode node;

  @BeforeAll
  static void start() throws Exception {
    node = PayaraNode.start("connect-rate", Map.of("switchboard.limits.connect-rate", "1"));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void pastTheRateHandshakesAre503WithRetryAfterAndTheOpenConnectionsLive() throws Exception {
    String room = Fixtures.room();
    String path = "/ws/chat/" + room + "?history=0&user=";
    try (RawWs first = RawWs.connect(node.port(), path + Fixtures.user());
        RawWs second = RawWs.connect(node.port(), path + Fixtures.user())) {
      assertThat(first.status()).isEqualTo(101);
      assertThat(second.status()).isEqualTo(101);
      try (RawWs refused = RawWs.connect(node.port(), path + Fixtures.user());
          RawSse stream =
              RawSse.request(null, node.port(), "/api/events?topics=" + room, Map.of())) {
        assertThat(refused.status()).as("the burst is spent").isEqualTo(503);
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
        assertThat(stream.status()).as("an event stream counts too").isEqualTo(503);
        assertThat(stream.header("Retry-After")).isNotNull();
      }
      assertThat(first.nextJson().getString("type")).isEqualTo("welcome");
      assertThat(first.nextJson().getString("type")).isEqualTo("joined");
      first.sendText("{\"type\":\"chat\",\"message\":\"still here\",\"id\":\"m1\"}");
      JsonObject answer;
      do {
        answer = first.nextJson(); // presence of the second member may come first
      } while (!answer.getString("type").equals("ack"));
      assertThat(answer.getString("id")).as("open connections are untouched").isEqualTo("m1");
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(1100))
          .until(
              () -> {
                try (RawWs later = RawWs.connect(node.port(), path + Fixtures.user())) {
                  return later.status() == 101;
                }
              });
    }
  }
}
