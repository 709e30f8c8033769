package io.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.FirstText;
import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.ServerIT;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Churn leaves nothing behind: no session, no member, no room feed. */
class CyclesIT extends ServerIT {

  @Test
  void aThousandConnectJoinDisconnectCyclesLeaveNothingBehind() throws Exception {
    String room = Fixtures.room();
    Http api = api();
    int before = connections(api);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> cycles = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        boolean abrupt = i % 3 == 0;
        String user = Fixtures.user();
        cycles.add(
            pool.submit(
                () -> {
                  WsClient client = WsClient.connect(ws("/ws/chat?user=" + user));
                  client.expect("welcome");
                  client.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
                  client.awaitType("joined");
                  if (abrupt) {
                    client.abort(); // no close handshake: the server must notice by itself
                  } else {
                    client.close();
                  }
                }));
      }
      for (Future<?> cycle : cycles) {
        cycle.get();
      }
    } finally {
      pool.shutdown();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(connections(api)).as("connections").isEqualTo(before);
              assertThat(LimitsIT.roomMembers(api, room)).as("members").isZero();
            });
    JsonObject stats = Http.object(api.get("api/stats").body());
    assertThat(stats.getJsonObject("totals").getInt("connections")).isEqualTo(before);
    assertThat(Http.json(api.get("api/rooms").body()).toString()).doesNotContain(room);
  }

  /**
   * A client that aborts as soon as its welcome arrives can close the socket while the open handler
   * still runs; the container then never reports that close. Such connections were held (slot,
   * rooms, queue) until the idle timeout (6 s here), so a client reconnecting in a loop ran into
   * its own address's cap. They are freed when the open handler ends, or at the next heartbeat (2 s
   * here).
   */
  @Test
  void clientsThatAbortOnTheirWelcomeAreFreedBeforeTheIdleTimeout() throws Exception {
    Http api = api();
    int before = connections(api);
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 300; i++) {
      FirstText socket = FirstText.open(http, ws("/ws/chat?user=" + Fixtures.user()));
      assertThat(socket.await(5000)).contains("welcome");
      socket.socket().abort();
    }
    await()
        .atMost(Duration.ofMillis(3500)) // a heartbeat and some slack, well under the idle timeout
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(connections(api)).as("connections").isEqualTo(before));
  }

  static int connections(Http api) {
    return Http.object(api.get("api/stats").body()).getJsonObject("totals").getInt("connections");
  }
}
