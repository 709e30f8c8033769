package io.switchboard.security;

import static io.switchboard.it.support.IdentityProvider.AUDIENCE;
import static io.switchboard.it.support.IdentityProvider.ISSUER;
import static io.switchboard.it.support.IdentityProvider.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.IdentityProvider;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RawWs;
import io.switchboard.it.support.SseClient;
import io.switchboard.it.support.Tokens;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tokens from an identity provider: RS256 and ES256 verified against a JWKS that a local HTTP
 * server publishes, through the MicroProfile JWT keys, on every way in; key rotation; the provider
 * down later and at start; algorithm confusion; {@code aud}, {@code iss} and the claim forms of
 * Keycloak, Entra ID and Okta. HS256 with a secret is configured at the same time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IdentityProviderIT {

  static final String API_KEY = "idp-api-key-0123456789";

  private static IdentityProvider idp;
  private static PayaraNode node;
  private static final RSAKey R1 = IdentityProvider.rsa("r1");
  private static final ECKey E1 = IdentityProvider.ec("e1");

  @BeforeAll
  static void start() throws Exception {
    idp = IdentityProvider.start();
    idp.publish(R1, E1);
    node = PayaraNode.start("identity-provider", config(idp));
  }

  static Map<String, String> config(IdentityProvider provider) {
    Map<String, String> config = new HashMap<>();
    config.put("mp.jwt.verify.publickey.location", provider.jwksUrl());
    config.put("mp.jwt.verify.issuer", ISSUER);
    config.put("mp.jwt.verify.audiences", AUDIENCE);
    config.put("switchboard.auth.jwt-secret", Tokens.SECRET);
    config.put("switchboard.auth.jwks.min-refresh.seconds", "1");
    config.put("switchboard.auth.jwks.refresh.seconds", "10");
    config.put("switchboard.auth.claims.roles", "roles,groups,realm_access.roles");
    config.put("switchboard.api.key", API_KEY);
    return config;
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

  @Test
  @Order(1)
  void rs256AndEs256TokensAreAcceptedOnWebSocketSseTicketsAndTheApi() throws Exception {
    String rs = token(R1, "u-rs", c -> c.claim("name", "Riley Stone"));
    String es = token(E1, "u-es", c -> c.claim("preferred_username", "esme"));
    try (WsClient client = WsClient.connect(node.ws("/ws/chat?token=" + rs))) {
      JsonObject welcome = client.expect("welcome");
      assertThat(welcome.getString("userId")).isEqualTo("u-rs");
      assertThat(welcome.getString("user")).isEqualTo("Riley Stone");
    }
    try (WsClient client = WsClient.connect(node.ws("/ws/chat?token=" + es))) {
      assertThat(client.expect("welcome").getString("user")).isEqualTo("esme");
    }
    String hs = Tokens.user("u-hs").issuer(ISSUER).claim("aud", AUDIENCE).build();
    try (WsClient client = WsClient.connect(node.ws("/ws/chat?token=" + hs))) {
      assertThat(client.expect("welcome").getString("userId"))
          .as("HS256 with the secret, configured together with the JWKS")
          .isEqualTo("u-hs");
    }

    String topic = Fixtures.topic();
    try (SseClient stream =
        SseClient.open(node.http().resolve("api/events/me?token=" + es + "&topics=" + topic))) {
      assertThat(stream.status()).isEqualTo(200);
      stream.next(Duration.ofSeconds(5));
      assertThat(
              publish(
                      "{\"topic\":\"" + topic + "\",\"data\":7,\"user\":\"u-es\"}",
                      "Bearer " + API_KEY)
                  .statusCode())
          .isEqualTo(202);
      assertThat(stream.nextData().json().getInt("data")).isEqualTo(7);
    }

    HttpResponse<String> minted =
        node.api()
            .send(
                HttpRequest.newBuilder(node.http().resolve("api/tickets"))
                    .header("Authorization", "Bearer " + rs)
                    .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(minted.statusCode()).isEqualTo(200);
    String ticket = Http.object(minted.body()).getString("ticket");
    try (WsClient client = WsClient.connect(node.ws("/ws/chat?ticket=" + ticket))) {
      assertThat(client.expect("welcome").getString("user")).isEqualTo("Riley Stone");
    }

    assertThat(get("api/rooms", es).statusCode()).isEqualTo(200);
    assertThat(get("api/rooms", "garbage").statusCode()).isEqualTo(401);
  }

  @Test
  @Order(2)
  void rolesComeFromRolesGroupsOrANestedClaimAndAValidTokenWithoutTheRoleIs403() {
    String body = "{\"topic\":\"deploys\",\"data\":{}}";
    String keycloak =
        token(R1, "kc", c -> c.claim("realm_access", IdentityProvider.realmRoles("publisher")));
    String okta = token(E1, "okta", c -> c.claim("groups", List.of("Everyone", "publisher")));
    String single = token(R1, "entra", c -> c.claim("roles", "publisher"));
    String none = token(R1, "reader", c -> {});
    String otherNested =
        token(R1, "kc2", c -> c.claim("resource_access", Map.of("roles", List.of("publisher"))));
    assertThat(publish(body, "Bearer " + keycloak).statusCode()).isEqualTo(202);
    assertThat(publish(body, "Bearer " + okta).statusCode()).isEqualTo(202);
    assertThat(publish(body, "Bearer " + single).statusCode()).isEqualTo(202);
    HttpResponse<String> forbidden = publish(body, "Bearer " + none);
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(Http.object(forbidden.body()).getString("error")).isEqualTo("forbidden");
    assertThat(publish(body, "Bearer " + otherNested).statusCode())
        .as("only the configured claims give roles")
        .isEqualTo(403);
  }

  @Test
  @Order(3)
  void theDisplayNameIsNameThenPreferredUsernameThenUpnThenSub() {
    assertThat(userOf(token(R1, "s1", c -> c.claim("upn", "sam@contoso.test"))))
        .isEqualTo("sam@contoso.test");
    assertThat(
            userOf(
                token(
                    E1,
                    "s2",
                    c -> c.claim("upn", "x@contoso.test").claim("preferred_username", "pat"))))
        .isEqualTo("pat");
    assertThat(userOf(token(R1, "s3", c -> c.claim("name", "").claim("preferred_username", "q"))))
        .as("an empty name falls back to the next claim")
        .isEqualTo("q");
    assertThat(userOf(token(R1, "plain-sub", c -> {}))).isEqualTo("plain-sub");
  }

  @Test
  @Order(4)
  void algorithmConfusionWrongKidsAudienceAndIssuerAreInvalidTokens() throws Exception {
    String rsaPem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.encode(R1.toRSAPublicKey().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    List<String> bad =
        List.of(
            hs256WithKey(rsaPem.getBytes(StandardCharsets.US_ASCII)),
            hs256WithKey(R1.toRSAPublicKey().getEncoded()),
            hs256WithKey(R1.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)),
            new PlainJWT(IdentityProvider.claims("none").build()).serialize(),
            withKid(R1, "e1"), // an RSA signature under the EC key's id
            withKid(E1, "r1"),
            withKid(IdentityProvider.rsa("r1"), "r1"), // another key claiming r1
            token(IdentityProvider.rsa("never-published"), "x", c -> {}),
            token(R1, "x", c -> c.audience("someone-else")),
            token(R1, "x", c -> c.audience((String) null)),
            token(R1, "x", c -> c.issuer("https://evil.test")),
            token(R1, "x", c -> c.expirationTime(null)),
            token(E1, "x", c -> c.expirationTime(new java.util.Date(0))));
    for (String token : bad) {
      assertThat(closeCodeFor(token)).as(token).isEqualTo(4002);
    }
    assertThat(get("api/rooms", bad.get(0)).statusCode()).isEqualTo(401);
  }

  @Test
  @Order(5)
  void aRotatedKeyIsTakenAtItsFirstTokenAndARetiredOneStopsWorking() {
    int fetchesBefore = idp.fetches();
    RSAKey r2 = IdentityProvider.rsa("r2");
    idp.publish(R1, E1, r2);
    assertThat(userOf(token(r2, "rotated", c -> {})))
        .as("an unknown kid fetches the set again")
        .isEqualTo("rotated");
    assertThat(idp.fetches()).isGreaterThan(fetchesBefore);

    idp.publish(E1, r2);
    String retired = token(R1, "old-key", c -> {});
    await("the retired key refused after a refresh")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> closeCodeFor(retired) == 4002);
    assertThat(userOf(token(r2, "rotated", c -> {}))).isEqualTo("rotated");

    RSAKey stranger = IdentityProvider.rsa("stranger");
    int fetches = idp.fetches();
    long started = System.nanoTime();
    for (int i = 0; i < 30; i++) {
      String madeUp = IdentityProvider.sign(withId(stranger, "made-up-" + i), claimsOf("x"));
      assertThat(closeCodeFor(madeUp)).isEqualTo(4002);
    }
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    assertThat(idp.fetches() - fetches)
        .as("made-up kids make the node fetch at most once per min-refresh (1 s here)")
        .isLessThanOrEqualTo((int) seconds + 2);
    idp.publish(R1, E1);
  }

  @Test
  @Order(6)
  void whenTheProviderGoesDownKnownKeysStillWorkAndUnknownOnesAre503() throws Exception {
    String known = token(E1, "still-here", c -> {});
    String unknown = token(IdentityProvider.rsa("r9"), "new-key", c -> {});
    idp.stop();
    try {
      assertThat(userOf(known)).as("the last good set stays in use").isEqualTo("still-here");
      // Within min-refresh of the last good fetch an unknown kid is just unknown (4002); once the
      // node has tried the provider and failed, it gives no verdict on such a token.
      await("no verdict on a token that cannot be checked")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(300))
          .until(() -> handshakeStatus(node, unknown) == 503);
      try (RawWs raw = RawWs.connect(node.port(), "/ws/chat?token=" + unknown)) {
        assertThat(raw.status()).isEqualTo(503);
        assertThat(raw.header("Retry-After")).isNotBlank();
      }
      assertThat(userOf(known)).isEqualTo("still-here");
      HttpResponse<String> api = get("api/rooms", unknown);
      assertThat(api.statusCode()).isEqualTo(503);
      assertThat(Http.object(api.body()).getString("error")).isEqualTo("unavailable");
      try (SseClient stream = SseClient.open(node.http().resolve("api/events?token=" + unknown))) {
        assertThat(stream.status()).isEqualTo(503);
      }
    } finally {
      idp.serve();
    }
    await("r9 is an unknown key of a reachable provider: an invalid token")
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> handshakeStatus(node, unknown) == 101 && closeCodeFor(unknown) == 4002);
  }

  @Test
  @Order(7)
  void aNodeStartedWhileTheProviderIsDownAcceptsTokensOnceItAnswersAndReadsTheTokenCookie()
      throws Exception {
    IdentityProvider down = IdentityProvider.down();
    Map<String, String> config = config(down);
    config.put("mp.jwt.token.header", "Cookie");
    config.put("mp.jwt.token.cookie", "kc_token");
    try (IdentityProvider late = down;
        PayaraNode second = PayaraNode.start("identity-provider-late", config)) {
      RSAKey key = IdentityProvider.rsa("late-1");
      late.publish(key);
      String token = token(key, "early-bird", c -> {});
      assertThat(handshakeStatus(second, token)).as("keys never loaded").isEqualTo(503);
      String hs = Tokens.user("u-hs").issuer(ISSUER).claim("aud", AUDIENCE).build();
      try (WsClient client = WsClient.connect(second.ws("/ws/chat?token=" + hs))) {
        assertThat(client.expect("welcome").getString("userId"))
            .as("the secret's tokens do not wait for the provider")
            .isEqualTo("u-hs");
      }
      late.serve();
      await("accepted once the provider answers")
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(300))
          .until(() -> handshakeStatus(second, token) == 101);
      try (WsClient client = WsClient.connect(second.ws("/ws/chat?token=" + token))) {
        assertThat(client.expect("welcome").getString("userId")).isEqualTo("early-bird");
      }

      // mp.jwt.token.header=Cookie: the handshake and the API read the user's token there.
      try (RawWs cookie =
          RawWs.connect(
              second.port(), "/ws/chat", Map.of("Cookie", "theme=dark; kc_token=" + token), 0)) {
        assertThat(cookie.status()).isEqualTo(101);
        assertThat(cookie.nextJson().getString("userId")).isEqualTo("early-bird");
      }
      assertThat(get(second, "api/rooms", "Cookie", "kc_token=" + token).statusCode())
          .isEqualTo(200);
      assertThat(get(second, "api/rooms", "Authorization", "Bearer " + token).statusCode())
          .as("a user token is read where configured, and only there")
          .isEqualTo(401);
      HttpResponse<String> byKey = get(second, "api/rooms", "Authorization", "Bearer " + API_KEY);
      assertThat(byKey.statusCode()).as("the API key still comes as a bearer").isEqualTo(200);
    }
  }

  private static String hs256WithKey(byte[] secret) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("r1").type(JOSEObjectType.JWT).build(),
            IdentityProvider.claims("confused").build());
    jwt.sign(new MACSigner(secret));
    return jwt.serialize();
  }

  /** A token signed by {@code key} whose header names {@code kid} instead of its own. */
  private static String withKid(com.nimbusds.jose.jwk.JWK key, String kid) {
    return IdentityProvider.sign(withId(key, kid), claimsOf("kid-swap"));
  }

  private static com.nimbusds.jose.jwk.JWK withId(com.nimbusds.jose.jwk.JWK key, String kid) {
    return key instanceof RSAKey rsa
        ? new RSAKey.Builder(rsa).keyID(kid).build()
        : new ECKey.Builder((ECKey) key).keyID(kid).build();
  }

  private static com.nimbusds.jwt.JWTClaimsSet claimsOf(String sub) {
    return IdentityProvider.claims(sub).build();
  }

  private static String userOf(String token) {
    try (WsClient client = WsClient.connect(node.ws("/ws/chat?token=" + token))) {
      return client.expect("welcome").getString("user");
    }
  }

  /** The close code the node ends a connection with that token with; 0 when it is welcomed. */
  private static int closeCodeFor(String token) {
    try (WsClient client = WsClient.connect(node.ws("/ws/chat?token=" + token))) {
      List<JsonObject> frames = new java.util.ArrayList<>();
      await()
          .atMost(WsClient.WAIT)
          .until(() -> client.isClosed() || frames.addAll(client.drain(Duration.ofMillis(20))));
      if (!frames.isEmpty()) {
        assertThat(frames.get(0).getString("type")).isEqualTo("welcome");
        return 0;
      }
      if (client.closeCode() == 4002) {
        assertThat(client.closeReason()).isEqualTo("Invalid token");
      }
      return client.closeCode();
    }
  }

  /** The HTTP status of a WebSocket handshake with that token. */
  private static int handshakeStatus(PayaraNode on, String token) throws java.io.IOException {
    try (RawWs raw = RawWs.connect(on.port(), "/ws/chat?token=" + token)) {
      return raw.status();
    }
  }

  private static HttpResponse<String> get(String path, String token) {
    return get(node, path, "Authorization", "Bearer " + token);
  }

  private static HttpResponse<String> get(PayaraNode on, String path, String header, String value) {
    return on.api()
        .send(HttpRequest.newBuilder(on.http().resolve(path)).header(header, value).GET());
  }

  private static HttpResponse<String> publish(String body, String authorization) {
    return node.api()
        .send(
            HttpRequest.newBuilder(node.http().resolve("api/notifications"))
                .header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
  }
}
