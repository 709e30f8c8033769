package io.switchboard.security;

import static io.switchboard.it.support.IdentityProvider.AUDIENCE;
import static io.switchboard.it.support.IdentityProvider.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.RSAKey;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.IdentityProvider;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.SseClient;
import io.switchboard.it.support.Tokens;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A token's {@code exp} on live connections: {@code expiring} shortly before it, {@code refresh}
 * with a newer token of the same user, 4004 at expiry (plus the clock skew, 1 s here) otherwise,
 * and event streams ended. The warning comes 3 s ahead here.
 */
class TokenExpiryIT {

  static final long SKEW_SECONDS = 1;
  private static IdentityProvider idp;
  private static PayaraNode node;
  private static final RSAKey KEY = IdentityProvider.rsa("k1");

  @BeforeAll
  static void start() throws Exception {
    idp = IdentityProvider.start();
    idp.publish(KEY);
    node =
        PayaraNode.start(
            "token-expiry",
            Map.of(
                "mp.jwt.verify.publickey.location",
                idp.jwksUrl(),
                "mp.jwt.verify.issuer",
                ISSUER,
                "mp.jwt.verify.audiences",
                AUDIENCE,
                "mp.jwt.verify.clock.skew",
                String.valueOf(SKEW_SECONDS),
                "switchboard.auth.jwt-secret",
                Tokens.SECRET,
                "switchboard.auth.expiring.seconds",
                "3"));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (idp != null) {
      idp.close();
    }
  }

  /** A token of {@code sub} that expires {@code seconds} from now (whole seconds, as in a JWT). */
  private static String expiringIn(String sub, long seconds) {
    return IdentityProvider.token(
        KEY, sub, c -> c.expirationTime(Date.from(Instant.now().plusSeconds(seconds))));
  }

  private static long expOf(String token) throws Exception {
    return com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().getTime()
        / 1000;
  }

  @Test
  void aConnectionThatRefreshesInTimeStaysPastItsFirstExpiry() throws Exception {
    String first = expiringIn("refresher", 5);
    long firstExp = expOf(first);
    try (WsClient client = WsClient.connect(node.ws("/ws/chat?token=" + first))) {
      client.expect("welcome");
      JsonObject expiring = client.await(f -> "expiring".equals(f.getString("type")));
      assertThat(expiring.getJsonNumber("exp").longValue()).isEqualTo(firstExp);
      assertThat(Instant.now().getEpochSecond())
          .as("warned ahead of the expiry")
          .isLessThan(firstExp);

      String second = expiringIn("refresher", 3600);
      client.send("{\"type\":\"refresh\",\"token\":\"" + second + "\",\"id\":\"r-1\"}");
      JsonObject refreshed = client.expect("refreshed");
      assertThat(refreshed.getString("id")).isEqualTo("r-1");
      assertThat(refreshed.getJsonNumber("exp").longValue()).isEqualTo(expOf(second));

      long pastFirst = (firstExp + SKEW_SECONDS + 2) * 1000;
      await("past the first token's end")
          .atMost(Duration.ofSeconds(15))
          .until(() -> System.currentTimeMillis() > pastFirst);
      client.send("{\"type\":\"ping\"}");
      assertThat(client.expect("pong").getString("type")).isEqualTo("pong");
      client.assertAlive();
    }
  }

  @Test
  void aConnectionThatDoesNotRefreshIsClosed4004AtExpiryAndBadRefreshesChangeNothing()
      throws Exception {
    String token = expiringIn("sleeper", 5);
    long exp = expOf(token);
    HttpResponse<String> minted =
        node.api()
            .send(
                HttpRequest.newBuilder(node.http().resolve("api/tickets"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()));
    String ticket = Http.object(minted.body()).getString("ticket");
    try (WsClient client = WsClient.connect(node.ws("/ws/chat?token=" + token));
        WsClient byTicket = WsClient.connect(node.ws("/ws/chat?ticket=" + ticket))) {
      client.expect("welcome");
      byTicket.expect("welcome");

      String others = expiringIn("someone-else", 3600);
      client.send("{\"type\":\"refresh\",\"token\":\"" + others + "\",\"id\":\"r-other\"}");
      assertInvalidToken(client, "r-other");
      client.send("{\"type\":\"refresh\",\"token\":\"garbage\",\"id\":\"r-garbage\"}");
      assertInvalidToken(client, "r-garbage");
      String lapsed = expiringIn("sleeper", -60);
      client.send("{\"type\":\"refresh\",\"token\":\"" + lapsed + "\",\"id\":\"r-lapsed\"}");
      assertInvalidToken(client, "r-lapsed");
      client.send("{\"type\":\"refresh\",\"token\":\"" + ticket + "\",\"id\":\"r-ticket\"}");
      assertInvalidToken(client, "r-ticket");

      for (WsClient connection : new WsClient[] {client, byTicket}) {
        assertThat(connection.awaitClose(Duration.ofSeconds(15))).isEqualTo(4004);
        assertThat(connection.closeReason()).isEqualTo("Token expired");
        long closedAt = System.currentTimeMillis();
        assertThat(closedAt).as("not before exp").isGreaterThanOrEqualTo(exp * 1000);
        assertThat(closedAt).as("within the leeway").isLessThan((exp + SKEW_SECONDS + 3) * 1000);
      }
    }
  }

  private static void assertInvalidToken(WsClient client, String id) {
    JsonObject error = client.await(f -> "error".equals(f.getString("type")));
    assertThat(error.getString("code")).isEqualTo("invalid_token");
    assertThat(error.getString("id")).isEqualTo(id);
    client.assertAlive();
  }

  @Test
  void aRefreshFrameNeedsATokenOfBoundedSize() {
    String token = Tokens.user("hs-user").issuer(ISSUER).claim("aud", AUDIENCE).build();
    try (WsClient client = WsClient.connect(node.ws("/ws/chat?token=" + token))) {
      client.expect("welcome");
      client.send("{\"type\":\"refresh\",\"id\":\"r-none\"}");
      JsonObject error = client.expect("error");
      assertThat(error.getString("code")).isEqualTo("bad_request");
      client.send("{\"type\":\"refresh\",\"token\":\"" + "x".repeat(9000) + "\",\"id\":\"r-big\"}");
      assertThat(client.expect("error").getString("code")).isEqualTo("bad_request");
      String newer = Tokens.user("hs-user").issuer(ISSUER).claim("aud", AUDIENCE).build();
      client.send("{\"type\":\"refresh\",\"token\":\"" + newer + "\",\"id\":\"r-hs\"}");
      assertThat(client.expect("refreshed").getString("id")).isEqualTo("r-hs");
    }
  }

  @Test
  void anEventStreamOpenedWithATokenEndsAtItsExpiry() throws Exception {
    String token = expiringIn("reader", 4);
    long exp = expOf(token);
    try (SseClient stream = SseClient.open(node.http().resolve("api/events/me?token=" + token))) {
      assertThat(stream.status()).isEqualTo(200);
      await("the stream ends")
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(100))
          .until(stream::ended);
      assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(exp * 1000);
    }
  }
}
