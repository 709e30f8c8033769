package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RawWs;
import io.switchboard.it.support.SseClient;
import io.switchboard.it.support.Tokens;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Token mode, rule by rule, against a real node configured with a secret and an API key. */
class TokenModeIT {

  static final String API_KEY = "test-api-key-0123456789";
  static final String ISSUER = "https://auth.example.test";
  private static PayaraNode node;

  @BeforeAll
  static void start() throws Exception {
    node =
        PayaraNode.start(
            "token-mode",
            Map.of(
                "switchboard.auth.jwt-secret", Tokens.SECRET,
                "switchboard.auth.issuer", ISSUER,
                "switchboard.api.key", API_KEY));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static Tokens valid(String sub) {
    return Tokens.user(sub).issuer(ISSUER);
  }

  private static int closeCodeFor(String query) {
    try (WsClient client = WsClient.connect(node.ws("/ws/chat" + query))) {
      int code = client.awaitClose();
      assertThat(client.drain(Duration.ofMillis(100))).as("nothing before the close").isEmpty();
      return code;
    }
  }

  @Test
  void aWebSocketWithoutATokenIsClosed4001() {
    try (WsClient client = WsClient.connect(node.ws("/ws/chat?user=alice"))) {
      assertThat(client.awaitClose()).isEqualTo(4001);
      assertThat(client.closeReason()).isEqualTo("Authentication required");
    }
  }

  @Test
  void everyKindOfBadTokenIsClosed4002() {
    String[] bad = {
      "not-a-jwt",
      "a.b.c",
      valid("u").expiresInSeconds(-120).build(),
      valid("u").notBeforeInSeconds(120).build(),
      valid("u").signedWith("another-secret-that-is-long-enough-for-hs256").build(),
      valid("u").unsigned(),
      valid("u").algorithm(JWSAlgorithm.HS512).build(),
      valid("u").noSubject().build(),
      Tokens.user("u").issuer("https://someone.else").build(),
      Tokens.user("u").build(), // no issuer at all, but one is required
      valid("u").claim("exp", null).build(), // a token in a URL must expire
      valid("api:system").build(), // the server-side senders' ids are no user's
    };
    for (String token : bad) {
      try (WsClient client = WsClient.connect(node.ws("/ws/chat?token=" + token))) {
        assertThat(client.awaitClose()).as(token).isEqualTo(4002);
        assertThat(client.closeReason()).isEqualTo("Invalid token");
      }
    }
  }

  @Test
  void aValidTokenNamesTheConnectionAndExpiryHasLeeway() {
    String token = valid("u-17").name("Alice").expiresInSeconds(-10).build();
    try (WsClient client = WsClient.connect(node.ws("/ws/chat?token=" + token + "&user=mallory"))) {
      JsonObject welcome = client.expect("welcome");
      assertThat(welcome.getString("user")).isEqualTo("Alice");
      assertThat(welcome.getString("userId")).isEqualTo("u-17");
    }
    try (WsClient client = WsClient.connect(node.ws("/ws/chat?token=" + valid("bob").build()))) {
      assertThat(client.expect("welcome").getString("user"))
          .as("name defaults to sub")
          .isEqualTo("bob");
    }
  }

  @Test
  void theRoomsClaimLimitsJoinsThePathEndpointAndHistoryReads() {
    String token = valid("team-user").rooms("team-*", "lobby").build();
    try (WsClient client = WsClient.connect(node.ws("/ws/chat?token=" + token))) {
      client.expect("welcome");
      client.send("{\"type\":\"join\",\"room\":\"team-red\"}");
      client.expect("joined");
      client.send("{\"type\":\"join\",\"room\":\"lobby\"}");
      client.expect("joined");
      client.send("{\"type\":\"join\",\"room\":\"secret\",\"id\":\"j-1\"}");
      JsonObject error = client.expect("error");
      assertThat(error.getString("code")).isEqualTo("forbidden");
      assertThat(error.getString("id")).isEqualTo("j-1");
      client.assertAlive();
    }
    try (WsClient client = WsClient.connect(node.ws("/ws/chat/secret?token=" + token))) {
      assertThat(client.awaitClose()).isEqualTo(4003);
      assertThat(client.closeReason()).isEqualTo("Forbidden room");
    }
    Http api = node.api();
    assertThat(get(api, "api/rooms/team-blue/messages", token).statusCode()).isEqualTo(200);
    HttpResponse<String> forbidden = get(api, "api/rooms/secret/messages?wait=5", token);
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(Http.object(forbidden.body()).getString("error")).isEqualTo("forbidden");
  }

  @Test
  void aTicketWorksOnceAndOnlyAsATicket() throws Exception {
    String token = valid("ticket-user").name("Tina").build();
    HttpResponse<String> minted =
        node.api()
            .send(
                HttpRequest.newBuilder(node.http().resolve("api/tickets"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(minted.statusCode()).isEqualTo(200);
    JsonObject body = Http.object(minted.body());
    assertThat(body.getInt("expiresInSeconds")).isEqualTo(30);
    String ticket = body.getString("ticket");
    assertThat(minted.body()).doesNotContain(token);
    try (WsClient client = WsClient.connect(node.ws("/ws/chat?ticket=" + ticket))) {
      assertThat(client.expect("welcome").getString("user")).isEqualTo("Tina");
    }
    assertThat(closeCodeFor("?ticket=" + ticket)).as("reused").isEqualTo(4002);
    assertThat(closeCodeFor("?token=" + ticket)).as("a ticket is not a token").isEqualTo(4002);
    assertThat(closeCodeFor("?ticket=" + token)).as("a token is not a ticket").isEqualTo(4002);
    String expired =
        valid("ticket-user")
            .claim("switchboard_ticket", true)
            .claim("jti", "expired-1")
            .expiresInSeconds(-1)
            .build();
    assertThat(closeCodeFor("?ticket=" + expired)).as("expired").isEqualTo(4002);
    HttpResponse<String> noToken =
        node.api()
            .send(
                HttpRequest.newBuilder(node.http().resolve("api/tickets"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(noToken.statusCode()).isEqualTo(401);
  }

  @Test
  void everyApiReadNeedsAValidUserToken() {
    Http api = node.api();
    for (String path : new String[] {"api/rooms", "api/rooms/a/messages", "api/stats"}) {
      HttpResponse<String> none = api.get(path);
      assertThat(none.statusCode()).as(path).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      assertThat(Http.object(none.body()).getString("error")).isEqualTo("unauthorized");
      assertThat(get(api, path, "garbage").statusCode()).as(path).isEqualTo(401);
      assertThat(get(api, path, valid("reader").build()).statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void eventStreamsTakeTheTokenInTheQueryAndMeIsTheTokensUser() {
    assertThat(node.api().get("api/events").statusCode()).isEqualTo(401);
    assertThat(node.api().get("api/events/me").statusCode()).isEqualTo(401);
    String topic = Fixtures.topic();
    String token = valid("sse-user").build();
    try (SseClient mine =
        SseClient.open(node.http().resolve("api/events/me?token=" + token + "&user=other"))) {
      assertThat(mine.status()).isEqualTo(200);
      mine.next(Duration.ofSeconds(5));
      publish("{\"topic\":\"" + topic + "\",\"data\":1,\"user\":\"other\"}", "Bearer " + API_KEY);
      publish(
          "{\"topic\":\"" + topic + "\",\"data\":2,\"user\":\"sse-user\"}", "Bearer " + API_KEY);
      assertThat(mine.nextData().json().getInt("data")).isEqualTo(2);
    }
  }

  @Test
  void publishingNeedsTheApiKeyOrAPublisherToken() {
    String body = "{\"topic\":\"deploys\",\"data\":{}}";
    assertThat(publish(body, null).statusCode()).isEqualTo(401);
    assertThat(publish(body, "Bearer wrong-key").statusCode()).isEqualTo(401);
    assertThat(publish(body, "Bearer " + valid("reader").build()).statusCode()).isEqualTo(403);
    assertThat(publish(body, "Bearer " + API_KEY).statusCode()).isEqualTo(202);
    assertThat(publish(body, "Bearer " + valid("ci").roles("publisher").build()).statusCode())
        .isEqualTo(202);
    HttpResponse<String> room =
        node.api()
            .send(
                HttpRequest.newBuilder(node.http().resolve("api/rooms/deploys/messages"))
                    .header("Authorization", "Bearer " + API_KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"shipped\"}")));
    assertThat(room.statusCode()).isEqualTo(202);
    assertThat(get(node.api(), "api/metrics", API_KEY).statusCode())
        .as("scrapers use the key")
        .isEqualTo(200);
    assertThat(
            publish(body, "Bearer " + valid("one-role").claim("roles", "reader").build())
                .statusCode())
        .as("a single-string roles claim is a valid token without the right")
        .isEqualTo(403);
    assertThat(
            publish(body, "Bearer " + valid("one-role").claim("roles", "publisher").build())
                .statusCode())
        .isEqualTo(202);
    HttpResponse<String> unauthorized = publish(body, "Bearer wrong-key");
    assertThat(unauthorized.body()).doesNotContain("wrong-key");
  }

  @Test
  void aForeignOriginIsRefusedAndNoOriginOrTheOwnIsAllowed() throws Exception {
    String token = valid("o").build();
    try (RawWs foreign =
        RawWs.connect(
            node.port(), "/ws/chat?token=" + token, Map.of("Origin", "https://evil.example"), 0)) {
      assertThat(foreign.status()).isEqualTo(403);
    }
    try (RawWs own =
        RawWs.connect(
            node.port(),
            "/ws/chat?token=" + token,
            Map.of("Origin", "http://127.0.0.1:" + node.port()),
            0)) {
      assertThat(own.status()).isEqualTo(101);
    }
    try (RawWs none = RawWs.connect(node.port(), "/ws/chat?token=" + token)) {
      assertThat(none.status()).isEqualTo(101);
    }
  }

  @Test
  void pagesAndApiCarrySecurityHeaders() {
    HttpResponse<String> response = node.api().get("api/stats");
    assertThat(response.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            csp ->
                assertThat(csp)
                    .contains("script-src 'self'")
                    .doesNotContain("unsafe-inline")
                    .contains("connect-src 'self';")
                    .as("no WebSocket host but this one")
                    .doesNotContain("ws:"));
    assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(response.headers().firstValue("Referrer-Policy")).contains("no-referrer");
  }

  private static HttpResponse<String> get(Http api, String path, String token) {
    return api.send(
        HttpRequest.newBuilder(node.http().resolve(path))
            .header("Authorization", "Bearer " + token)
            .GET());
  }

  private static HttpResponse<String> publish(String body, String authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(node.http().resolve("api/notifications"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return node.api().send(request);
  }
}
