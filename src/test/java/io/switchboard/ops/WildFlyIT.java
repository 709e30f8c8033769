package io.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.RawWs;
import io.switchboard.it.support.SseClient;
import io.switchboard.it.support.WildFlyServer;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same WAR, unchanged, on WildFly (standalone-microprofile): chat, SSE, stats and health. Runs
 * with {@code mvn verify -Pwildfly}, which unpacks the WildFly distribution (CI does).
 */
class WildFlyIT {

  private static WildFlyServer wildfly;

  @BeforeAll
  static void start() throws Exception {
    String home = System.getProperty("wildfly.home");
    Assumptions.assumeTrue(home != null && Files.isDirectory(Path.of(home)), "run with -Pwildfly");
    wildfly =
        WildFlyServer.start(
            Path.of(home),
            "wildfly",
            List.of(),
            List.of(),
            Map.of("switchboard.node.id", "wildfly"));
  }

  @AfterAll
  static void stop() {
    if (wildfly != null) {
      wildfly.close();
    }
  }

  private static Http api() {
    return wildfly.api();
  }

  @Test
  void chatWorksOnWildFly() {
    String room = Fixtures.room();
    try (WsClient client = WsClient.connect(wildfly.ws("/ws/chat/" + room + "?user=wf"))) {
      assertThat(client.expect("welcome").getString("node")).isEqualTo("wildfly");
      client.expect("joined");
      client.send("{\"type\":\"chat\",\"message\":\"hello wildfly\",\"id\":\"w-1\"}");
      assertThat(client.awaitType("chat").getString("message")).isEqualTo("hello wildfly");
      assertThat(client.awaitType("ack").getJsonNumber("offset").longValue()).isEqualTo(1);
    }
  }

  /** The handlers the endpoints inherit (binary frames, closes) run on Undertow too. */
  @Test
  void inheritedHandlersRunOnWildFly() throws Exception {
    int port = wildfly.port();
    try (RawWs raw = RawWs.connect(port, "/ws/chat?user=wf-binary")) {
      assertThat(raw.read(10_000).text()).contains("\"type\":\"welcome\"");
      raw.sendFrame(RawWs.BINARY, new byte[] {1, 2, 3});
      assertThat(raw.readUntilClose(10_000)).as("binary frames are refused").isEqualTo(1003);
    }
    int before =
        Http.object(api().get("api/stats").body()).getJsonObject("totals").getInt("connections");
    for (int i = 0; i < 20; i++) {
      try (WsClient client =
          WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/chat?user=wf" + i))) {
        client.expect("welcome");
      }
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        Http.object(api().get("api/stats").body())
                            .getJsonObject("totals")
                            .getInt("connections"))
                    .as("closed connections are freed")
                    .isLessThanOrEqualTo(before));
  }

  @Test
  void notificationsStreamOnWildFly() {
    String topic = Fixtures.topic();
    try (SseClient events = SseClient.open(api().base().resolve("api/events?topics=" + topic))) {
      assertThat(events.next(Duration.ofSeconds(10)).retry()).isEqualTo(3000);
      HttpResponse<String> published =
          api().post("api/notifications", "{\"topic\":\"" + topic + "\",\"data\":{\"ok\":true}}");
      assertThat(published.statusCode()).isEqualTo(202);
      JsonObject data = events.nextData().json();
      assertThat(data.getString("topic")).isEqualTo(topic);
      assertThat(data.getJsonObject("data").getBoolean("ok")).isTrue();
    }
  }

  @Test
  void statsAndHealthAnswerOnWildFly() {
    JsonObject stats = Http.object(api().get("api/stats").body());
    assertThat(stats.getString("node")).isEqualTo("wildfly");
    HttpResponse<String> ready =
        new Http(URI.create("http://127.0.0.1:" + wildfly.managementPort() + "/"))
            .get("health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("switchboard");
    assertThat(api().get("api/metrics").body()).contains("switchboard_connections");
  }
}
