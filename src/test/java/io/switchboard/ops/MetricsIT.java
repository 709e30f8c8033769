package io.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.ServerIT;
import io.switchboard.it.support.WsClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Prometheus metrics move with traffic; health endpoints answer. */
class MetricsIT extends ServerIT {

  private double metric(String name) {
    HttpResponse<String> response = api().get("api/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*\\} (\\S+)$")
            .matcher(response.body());
    assertThat(m.find()).as("%s in %s", name, response.body()).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void everyDocumentedMetricIsExposedInPrometheusForm() {
    HttpResponse<String> response = api().get("api/metrics");
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(response.body())
        .contains(
            "switchboard_connections{",
            "switchboard_sse_clients{",
            "switchboard_rooms{",
            "switchboard_messages_in_total{",
            "switchboard_frames_out{",
            "switchboard_acks_total{",
            "switchboard_rate_limited_total{",
            "switchboard_slow_consumer_closes{",
            "switchboard_frames_dropped{",
            "switchboard_connections_orphaned{",
            "switchboard_websocket_fast_path{",
            "switchboard_broker_publish_seconds_bucket{")
        .contains("node=\"it-node\"");
  }

  @Test
  void countersMoveWithTraffic() {
    double in = metric("switchboard_messages_in_total");
    double acks = metric("switchboard_acks_total");
    double publishes = metric("switchboard_broker_publish_seconds_count");
    double limited = metric("switchboard_rate_limited_total");
    try (WsClient client = WsClient.connect(ws("/ws/chat/" + Fixtures.room()))) {
      client.expect("welcome");
      client.expect("joined");
      assertThat(metric("switchboard_connections")).isGreaterThanOrEqualTo(1);
      assertThat(metric("switchboard_websocket_fast_path"))
          .as("on the pinned Payara, broadcasts are encoded once and written through Tyrus")
          .isEqualTo(1.0);
      for (int i = 0; i < 25; i++) {
        client.send("{\"type\":\"chat\",\"message\":\"m" + i + "\"}");
      }
      client.drain(Duration.ofMillis(500));
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(metric("switchboard_messages_in_total")).isGreaterThanOrEqualTo(in + 20);
              assertThat(metric("switchboard_acks_total")).isGreaterThanOrEqualTo(acks + 20);
              assertThat(metric("switchboard_broker_publish_seconds_count"))
                  .isGreaterThanOrEqualTo(publishes + 20);
              assertThat(metric("switchboard_rate_limited_total")).isGreaterThan(limited);
            });
  }

  @Test
  void healthEndpointsAreUpOnAHealthyNode() {
    HttpResponse<String> ready = api().get("health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("switchboard").contains("UP");
    HttpResponse<String> live = api().get("health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).contains("switchboard");
  }
}
