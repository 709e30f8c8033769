package io.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.ServerIT;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** History on join, and resuming with since and epoch: no gap, no duplicate. */
class RecoveryIT extends ServerIT {

  private List<Long> chatOffsets(List<JsonObject> frames) {
    return frames.stream()
        .filter(f -> f.getString("type").equals("chat"))
        .map(f -> f.getJsonNumber("offset").longValue())
        .toList();
  }

  private static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }

  private void publish(String room, int count) {
    Http api = api();
    for (int i = 0; i < count; i++) {
      api.publish(room, "message " + i);
    }
  }

  private String epochOf(String room) {
    return Http.object(api().get("api/rooms/" + room + "/messages?limit=1").body())
        .getString("epoch");
  }

  @Test
  void aJoinWithoutSinceGetsTheLast50MessagesAfterJoined() {
    String room = Fixtures.room();
    publish(room, 60);
    try (WsClient client = WsClient.connect(ws("/ws/chat"))) {
      client.expect("welcome");
      client.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
      JsonObject joined = client.expect("joined");
      assertThat(joined.getJsonNumber("offset").longValue()).isEqualTo(60);
      assertThat(chatOffsets(client.drain(Duration.ofMillis(300))))
          .containsExactlyElementsOf(range(11, 60));
    }
  }

  @Test
  void historyChoosesHowManyAndIsCappedAt500() {
    String room = Fixtures.room();
    publish(room, 520);
    try (WsClient client = WsClient.connect(ws("/ws/chat"))) {
      client.expect("welcome");
      client.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"history\":0}");
      client.expect("joined");
      assertThat(client.drain(Duration.ofMillis(200))).isEmpty();
      client.send("{\"type\":\"leave\",\"room\":\"" + room + "\"}");
      client.expect("left");
      client.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"history\":3}");
      client.expect("joined");
      assertThat(chatOffsets(client.drain(Duration.ofMillis(300))))
          .containsExactly(518L, 519L, 520L);
      client.send("{\"type\":\"leave\",\"room\":\"" + room + "\"}");
      client.expect("left");
      client.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"history\":100000}");
      client.expect("joined");
      assertThat(chatOffsets(client.drain(Duration.ofMillis(500))))
          .containsExactlyElementsOf(range(21, 520));
    }
  }

  @Test
  void sinceInsideHistoryReplaysEverythingAfterItWithRecoveredTrue() {
    String room = Fixtures.room();
    publish(room, 70);
    String epoch = epochOf(room);
    try (WsClient client = WsClient.connect(ws("/ws/chat"))) {
      client.expect("welcome");
      client.send(
          "{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":4,\"epoch\":\"" + epoch + "\"}");
      JsonObject joined = client.expect("joined");
      assertThat(joined.getBoolean("recovered")).isTrue();
      assertThat(joined.getJsonNumber("offset").longValue()).isEqualTo(70);
      assertThat(chatOffsets(client.drain(Duration.ofMillis(300))))
          .as("more than the default 50: everything after since")
          .containsExactlyElementsOf(range(5, 70));
    }
  }

  @Test
  void sinceAtTheLatestOffsetReplaysNothing() {
    String room = Fixtures.room();
    publish(room, 3);
    try (WsClient client = WsClient.connect(ws("/ws/chat/" + room + "?since=3"))) {
      client.expect("welcome");
      assertThat(client.expect("joined").getBoolean("recovered")).isTrue();
      assertThat(client.drain(Duration.ofMillis(200))).isEmpty();
    }
  }

  @Test
  void sinceOlderThanHistoryIsNotRecoveredAndGetsTheLastMessages() {
    String room = Fixtures.room();
    publish(room, 1010);
    try (WsClient client = WsClient.connect(ws("/ws/chat"))) {
      client.expect("welcome");
      client.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":5,\"history\":20}");
      JsonObject joined = client.expect("joined");
      assertThat(joined.getBoolean("recovered")).isFalse();
      assertThat(chatOffsets(client.drain(Duration.ofMillis(300))))
          .containsExactlyElementsOf(range(991, 1010));
    }
  }

  @Test
  void sinceBeyondTheLatestOffsetIsNotRecovered() {
    String room = Fixtures.room();
    publish(room, 5);
    try (WsClient client = WsClient.connect(ws("/ws/chat/" + room + "?since=99&history=2"))) {
      client.expect("welcome");
      assertThat(client.expect("joined").getBoolean("recovered")).isFalse();
      assertThat(chatOffsets(client.drain(Duration.ofMillis(200)))).containsExactly(4L, 5L);
    }
  }

  @Test
  void anotherEpochIsNeverResumed() {
    String room = Fixtures.room();
    publish(room, 5);
    try (WsClient client = WsClient.connect(ws("/ws/chat"))) {
      client.expect("welcome");
      client.send(
          "{\"type\":\"join\",\"room\":\""
              + room
              + "\",\"since\":2,\"epoch\":\"other\",\"history\":1}");
      assertThat(client.expect("joined").getBoolean("recovered")).isFalse();
      assertThat(chatOffsets(client.drain(Duration.ofMillis(200)))).containsExactly(5L);
      client.send("{\"type\":\"leave\",\"room\":\"" + room + "\"}");
      client.expect("left");
      client.send(
          "{\"type\":\"join\",\"room\":\"" + room + "\",\"epoch\":\"" + epochOf(room) + "\"}");
      assertThat(client.expect("joined").getBoolean("recovered")).isTrue();
    }
  }

  @Test
  void thePathEndpointJoinsWithItsQueryAndDefaultsFramesToItsRoom() {
    String room = Fixtures.room();
    publish(room, 10);
    String epoch = epochOf(room);
    try (WsClient client =
        WsClient.connect(
            ws("/ws/chat/" + room + "?since=7&epoch=" + epoch + "&history=1&user=pat"))) {
      assertThat(client.expect("welcome").getString("user")).isEqualTo("pat");
      JsonObject joined = client.expect("joined");
      assertThat(joined.getString("room")).isEqualTo(room);
      assertThat(joined.getBoolean("recovered")).isTrue();
      assertThat(chatOffsets(client.drain(Duration.ofMillis(300)))).containsExactly(8L, 9L, 10L);
      client.send("{\"type\":\"chat\",\"message\":\"no room field\"}");
      assertThat(client.awaitType("ack").getString("room")).isEqualTo(room);
      client.send("{\"type\":\"leave\"}");
      assertThat(client.awaitType("left").getString("room")).isEqualTo(room);
    }
  }

  @Test
  void anInvalidRoomInThePathIsClosed1008BeforeWelcome() {
    try (WsClient client = WsClient.connect(ws("/ws/chat/no%20spaces"))) {
      assertThat(client.awaitClose()).isEqualTo(1008);
      assertThat(client.closeReason()).isEqualTo("Invalid room");
      assertThat(client.drain(Duration.ofMillis(100))).isEmpty();
    }
  }

  @Test
  void badJoinParametersOnThePathAreBadRequestsAndTheConnectionStays() {
    String room = Fixtures.room();
    try (WsClient client = WsClient.connect(ws("/ws/chat/" + room + "?since=-1"))) {
      client.expect("welcome");
      assertThat(client.expect("error").getString("code")).isEqualTo("bad_request");
      client.assertAlive();
    }
  }

  @Test
  void reconnectingWithSinceWhileAnotherMemberKeepsSendingLosesAndRepeatsNothing()
      throws Exception {
    String room = Fixtures.room();
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicLong published = new AtomicLong();
    Http api = api();
    CompletableFuture<Void> sender =
        CompletableFuture.runAsync(
            () -> {
              while (sending.get()) {
                published.set(api.publish(room, "tick"));
                try {
                  Thread.sleep(1);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    List<Long> seen = new ArrayList<>();
    String epoch = null;
    long since = 0;
    for (int round = 0; round < 15; round++) {
      String query = "?since=" + since + (epoch != null ? "&epoch=" + epoch : "");
      try (WsClient client = WsClient.connect(ws("/ws/chat/" + room + query))) {
        client.expect("welcome");
        JsonObject joined = client.expect("joined");
        assertThat(joined.getBoolean("recovered")).as("round %d", round).isTrue();
        epoch = joined.getString("epoch");
        List<Long> offsets = chatOffsets(client.collect(Duration.ofMillis(30 + round * 10)));
        seen.addAll(offsets);
        if (!offsets.isEmpty()) {
          since = offsets.get(offsets.size() - 1);
        }
      }
    }
    sending.set(false);
    sender.get();
    long last = published.get();
    try (WsClient client =
        WsClient.connect(ws("/ws/chat/" + room + "?since=" + since + "&epoch=" + epoch))) {
      client.expect("welcome");
      client.expect("joined");
      seen.addAll(chatOffsets(client.drain(Duration.ofMillis(500))));
    }
    assertThat(last).isGreaterThan(50);
    assertThat(seen).containsExactlyElementsOf(range(1, last));
  }
}
