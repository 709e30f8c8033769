package io.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.ServerIT;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Every malformed frame gets {@code bad_request}, echoes its id, and the connection lives. */
class FrameValidationIT extends ServerIT {

  @Test
  void malformedFramesAreBadRequestsAndTheConnectionStaysOpen() {
    String room = Fixtures.room();
    String[] frames = {
      "not json",
      "[1,2,3]",
      "42",
      "{}",
      "{\"type\":7}",
      "{\"type\":\"dance\",\"id\":\"d-1\"}",
      "{\"type\":\"join\",\"room\":\"no spaces\"}",
      "{\"type\":\"join\",\"room\":\"" + "r".repeat(65) + "\"}",
      "{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":-1}",
      "{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":1.5}",
      "{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":\"4\"}",
      "{\"type\":\"join\",\"room\":\"" + room + "\",\"history\":-1}",
      "{\"type\":\"join\",\"room\":\"" + room + "\",\"history\":\"ten\"}",
      "{\"type\":\"join\",\"room\":\"" + room + "\",\"epoch\":5}",
      "{\"type\":\"chat\",\"room\":\"" + room + "\"}",
      "{\"type\":\"chat\",\"room\":\"" + room + "\",\"message\":\"\"}",
      "{\"type\":\"chat\",\"room\":\"" + room + "\",\"message\":\" \\n\\t \"}",
      "{\"type\":\"chat\",\"room\":\"" + room + "\",\"message\":[\"hi\"]}",
      "{\"type\":\"chat\",\"room\":\"" + room + "\",\"message\":\"hi\",\"id\":\"\"}",
      "{\"type\":\"chat\",\"room\":\""
          + room
          + "\",\"message\":\"hi\",\"id\":\""
          + "i".repeat(65)
          + "\"}",
      "{\"type\":\"chat\",\"room\":\"" + room + "\",\"message\":\"hi\",\"id\":17}",
      "{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":1e999999999}x",
      "[".repeat(3000) + "]".repeat(3000),
    };
    try (WsClient client = WsClient.connect(ws("/ws/chat"))) {
      client.expect("welcome");
      for (String frame : frames) {
        client.send(frame);
        JsonObject error = client.expect("error");
        assertThat(error.getString("code")).as(frame).isEqualTo("bad_request");
        assertThat(error.getString("message")).isNotBlank();
        client.assertAlive();
        pause(); // stay under the rate limit of 10 frames per second
      }
    }
  }

  @Test
  void anErrorEchoesTheIdOfTheFrameThatCausedIt() {
    try (WsClient client = WsClient.connect(ws("/ws/chat"))) {
      client.expect("welcome");
      client.send("{\"type\":\"dance\",\"id\":\"x-9\"}");
      assertThat(client.expect("error").getString("id")).isEqualTo("x-9");
      client.send("{\"type\":\"chat\",\"room\":\"a\",\"message\":\"\",\"id\":\"c-3\"}");
      assertThat(client.expect("error").getString("id")).isEqualTo("c-3");
    }
  }

  @Test
  void hugeNumbersMeanALotAndUnknownFieldsAreIgnored() {
    String room = Fixtures.room();
    try (WsClient client = WsClient.connect(ws("/ws/chat"))) {
      client.expect("welcome");
      client.send(
          "{\"type\":\"join\",\"room\":\""
              + room
              + "\",\"history\":1e30,\"colour\":\"blue\",\"extra\":{\"a\":[1]}}");
      client.expect("joined");
      client.send(
          "{\"type\":\"join\",\"room\":\""
              + Fixtures.room()
              + "\",\"since\":123456789012345678901234567890}");
      assertThat(client.expect("joined").getBoolean("recovered")).isFalse();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(110);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
