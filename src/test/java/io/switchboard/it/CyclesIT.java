package io.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.ServerIT;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
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

  static int connections(Http api) {
    return Http.object(api.get("api/stats").body()).getJsonObject("totals").getInt("connections");
  }
}
