package io.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code switchboard.websocket.portable=true} on Payara: the standard WebSocket API only (each
 * frame encoded by Tyrus per recipient), the path other servers take. Rooms work the same.
 */
class PortablePathIT {

  /** Within the default burst (20), so that no message is refused. */
  private static final int MESSAGES = 15;

  private static PayaraNode node;

  @BeforeAll
  static void start() throws Exception {
    node = PayaraNode.start("portable", Map.of("switchboard.websocket.portable", "true"));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void roomsDeliverEveryMessageInOrderOnTheStandardApi() throws Exception {
    String room = Fixtures.room();
    List<WsClient> members = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        WsClient member = WsClient.connect(node.ws("/ws/chat/" + room + "?user=m" + i));
        members.add(member);
        member.expect("welcome");
        member.expect("joined");
      }
      WsClient sender = members.get(0);
      for (int i = 0; i < MESSAGES; i++) {
        sender.send("{\"type\":\"chat\",\"message\":\"m" + i + "\",\"id\":\"p-" + i + "\"}");
      }
      for (WsClient member : members) {
        List<Long> offsets = new ArrayList<>();
        while (offsets.size() < MESSAGES) {
          JsonObject frame = member.awaitType("chat");
          offsets.add(frame.getJsonNumber("offset").longValue());
        }
        assertThat(offsets).as("every message, in order, once").isSorted().doesNotHaveDuplicates();
        assertThat(offsets).hasSize(MESSAGES);
      }
      assertThat(metrics())
          .as("the fast path is off")
          .containsPattern("(?m)^switchboard_websocket_fast_path\\{[^}]*\\} 0\\.0$");
    } finally {
      members.forEach(WsClient::close);
    }
  }

  private static String metrics() throws Exception {
    URI uri = node.http().resolve("api/metrics");
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
