package io.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.it.support.ServerIT;
import io.switchboard.it.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** {@code /ws/echo}: the connectivity check, under the same limits as chat. */
class EchoIT extends ServerIT {

  @Test
  void eachJsonFrameComesBackAsReceived() {
    try (WsClient echo = WsClient.connect(ws("/ws/echo"))) {
      echo.send("{\"hello\":[1,2,{\"x\":null}],\"n\":1.50}");
      JsonObject response = echo.next();
      assertThat(response.getString("type")).isEqualTo("response");
      assertThat(response.get("data"))
          .isEqualTo(
              Json.createReader(
                      new java.io.StringReader("{\"hello\":[1,2,{\"x\":null}],\"n\":1.50}"))
                  .readObject());
      echo.send("[true]");
      assertThat(echo.next().getJsonArray("data").getBoolean(0)).isTrue();
    }
  }

  @Test
  void aFrameThatIsNotJsonIsABadRequest() {
    try (WsClient echo = WsClient.connect(ws("/ws/echo"))) {
      echo.send("hello?");
      JsonObject error = echo.next();
      assertThat(error.getString("type")).isEqualTo("error");
      assertThat(error.getString("code")).isEqualTo("bad_request");
      echo.send("{\"still\":\"open\"}");
      assertThat(echo.next().getString("type")).isEqualTo("response");
    }
  }

  @Test
  void theSameLimitsApply() {
    try (WsClient binary = WsClient.connect(ws("/ws/echo"));
        WsClient big = WsClient.connect(ws("/ws/echo"));
        WsClient burst = WsClient.connect(ws("/ws/echo"))) {
      binary.sendBinary(new byte[] {0});
      assertThat(binary.awaitClose()).isEqualTo(1003);
      big.send("\"" + "x".repeat(16384) + "\"");
      assertThat(big.awaitClose()).isEqualTo(1009);
      for (int i = 0; i < 30; i++) {
        burst.send("{}");
      }
      assertThat(burst.await(f -> f.getString("type").equals("error")).getString("code"))
          .isEqualTo("rate_limited");
    }
  }
}
