package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RedisProcess;
import io.switchboard.it.support.SseClient;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server API, called on one node of two over a real Redis, seen by clients on both. */
class ServerApiIT {

  static final String API_KEY = "server-api-key-0123456789";
  private static RedisProcess redis;
  private static PayaraNode a;
  private static PayaraNode b;

  @BeforeAll
  static void startCluster() throws Exception {
    redis = RedisProcess.start();
    Map<String, String> config =
        new HashMap<>(redis.nodeSettings("api-" + UUID.randomUUID() + ":"));
    config.put("switchboard.api.key", API_KEY);
    a = PayaraNode.start("api-a", config);
    b = PayaraNode.start("api-b", config);
  }

  @AfterAll
  static void stopCluster() {
    for (AutoCloseable closeable : new AutoCloseable[] {a, b, redis}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception ignored) {
        // the next one still stops
      }
    }
  }

  private static HttpResponse<String> disconnect(
      String pathUserId, String authorization, String contentType, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(a.http().resolve("api/users/" + pathUserId + "/disconnect"))
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return a.api().send(request);
  }

  private static String path(String userId) {
    return URLEncoder.encode(userId, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Test
  void aDisconnectClosesEveryConnectionOfTheUserOnEveryNodeWith4010AndEndsItsStreams() {
    String user = Fixtures.user();
    String bystander = Fixtures.user();
    try (WsClient onA = WsClient.connect(a.ws("/ws/chat?user=" + user));
        WsClient onB = WsClient.connect(b.ws("/ws/chat?user=" + user));
        WsClient other = WsClient.connect(b.ws("/ws/chat?user=" + bystander));
        SseClient stream = SseClient.open(b.http().resolve("api/events/me?user=" + user));
        SseClient otherStream =
            SseClient.open(b.http().resolve("api/events/me?user=" + bystander))) {
      onA.expect("welcome");
      onB.expect("welcome");
      other.expect("welcome");
      assertThat(stream.status()).isEqualTo(200);
      assertThat(otherStream.status()).isEqualTo(200);

      HttpResponse<String> answer =
          disconnect(
              path(user), "Bearer " + API_KEY, "application/json", "{\"reason\":\"spamming\"}");
      assertThat(answer.statusCode()).isEqualTo(202);
      JsonObject body = Http.object(answer.body());
      assertThat(body.getString("userId")).isEqualTo(user);
      assertThat(body.getInt("nodes")).as("both nodes were told").isEqualTo(2);

      for (WsClient connection : new WsClient[] {onA, onB}) {
        assertThat(connection.awaitClose()).isEqualTo(4010);
        assertThat(connection.closeReason()).isEqualTo("Disconnected");
      }
      await("the user's event stream ends").atMost(Duration.ofSeconds(10)).until(stream::ended);

      other.send("{\"type\":\"ping\"}");
      other.expect("pong");
      other.assertAlive();
      assertThat(otherStream.ended()).as("another user's stream stays").isFalse();
    }
  }

  @Test
  void aDisconnectWithoutBodyIsFineAndBadInputOrCredentialsAre4xx() {
    String user = Fixtures.user();
    String key = "Bearer " + API_KEY;
    assertThat(disconnect(path(user), null, null, null).statusCode()).isEqualTo(401);
    assertThat(disconnect(path(user), "Bearer wrong", null, null).statusCode()).isEqualTo(401);
    assertThat(disconnect(path(user), key, null, null).statusCode()).isEqualTo(202);
    assertThat(disconnect(path(user), key, "application/json", "{}").statusCode()).isEqualTo(202);
    Map<String, Integer> bad = new HashMap<>();
    bad.put("{", 400);
    bad.put("[1]", 400);
    bad.put("{\"reason\":42}", 400);
    bad.put("{\"reason\":\"   \"}", 400);
    bad.put("{\"reason\":\"" + "r".repeat(201) + "\"}", 400);
    for (Map.Entry<String, Integer> entry : bad.entrySet()) {
      HttpResponse<String> answer = disconnect(path(user), key, "application/json", entry.getKey());
      assertThat(answer.statusCode()).as(entry.getKey()).isEqualTo(entry.getValue());
      assertThat(Http.object(answer.body()).getString("error")).isEqualTo("bad_request");
    }
    assertThat(disconnect(path(user), key, "text/plain", "{}").statusCode()).isEqualTo(415);
    assertThat(disconnect(path("u".repeat(257)), key, null, null).statusCode()).isEqualTo(400);
    assertThat(disconnect("a%01b", key, null, null).statusCode()).isEqualTo(400);
    HttpResponse<String> get =
        a.api()
            .send(
                HttpRequest.newBuilder(a.http().resolve("api/users/" + user + "/disconnect"))
                    .header("Authorization", key)
                    .GET());
    assertThat(get.statusCode()).isEqualTo(405);
  }

  private static HttpResponse<String> remove(
      String room, String userId, String query, String auth) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                a.http().resolve("api/rooms/" + room + "/members/" + path(userId) + query))
            .DELETE();
    if (auth != null) {
      request.header("Authorization", auth);
    }
    return a.api().send(request);
  }

  private static void join(WsClient client, String room) {
    client.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"id\":\"j\"}");
    client.awaitType("joined");
  }

  private static JsonObject joinAnswer(WsClient client, String room) {
    client.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"id\":\"again\"}");
    return client.await(
        f -> "joined".equals(f.getString("type")) || "error".equals(f.getString("type")));
  }

  @Test
  void aRemovedMemberLeavesTheRoomOnEveryNodeAndABanRefusesItsJoinsUntilItEnds() {
    String room = Fixtures.room();
    String user = Fixtures.user();
    try (WsClient onA = WsClient.connect(a.ws("/ws/chat?user=" + user));
        WsClient onB = WsClient.connect(b.ws("/ws/chat?user=" + user));
        WsClient watcher = WsClient.connect(b.ws("/ws/chat?user=" + Fixtures.user()))) {
      join(watcher, room);
      join(onA, room);
      join(onB, room);
      watcher.await(
          f -> "presence".equals(f.getString("type")) && "join".equals(f.getString("event")));

      HttpResponse<String> answer = remove(room, user, "?banSeconds=3", "Bearer " + API_KEY);
      assertThat(answer.statusCode()).isEqualTo(202);
      JsonObject body = Http.object(answer.body());
      assertThat(body.getInt("banSeconds")).isEqualTo(3);
      assertThat(body.getInt("nodes")).isEqualTo(2);
      long banEnds = System.currentTimeMillis() + 3000;

      for (WsClient member : new WsClient[] {onA, onB}) {
        JsonObject left = member.awaitType("left");
        assertThat(left.getString("room")).isEqualTo(room);
        assertThat(left.getString("reason")).isEqualTo("removed");
      }
      JsonObject leave =
          watcher.await(
              f -> "presence".equals(f.getString("type")) && "leave".equals(f.getString("event")));
      assertThat(leave.getString("user")).isEqualTo(user);

      onA.send("{\"type\":\"chat\",\"room\":\"" + room + "\",\"message\":\"x\",\"id\":\"c\"}");
      assertThat(onA.awaitType("error").getString("code")).isEqualTo("not_joined");
      for (WsClient member : new WsClient[] {onA, onB}) {
        JsonObject refused = joinAnswer(member, room);
        assertThat(refused.getString("type")).as("banned on every node").isEqualTo("error");
        assertThat(refused.getString("code")).isEqualTo("forbidden");
        member.assertAlive();
      }
      await("the ban ends")
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> "joined".equals(joinAnswer(onA, room).getString("type")));
      assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(banEnds - 500);
    }
  }

  @Test
  void aRemovalWithoutBanLetsTheUserBackAtOnceAndBadInputIs4xx() {
    String room = Fixtures.room();
    String user = Fixtures.user();
    String key = "Bearer " + API_KEY;
    try (WsClient member = WsClient.connect(b.ws("/ws/chat?user=" + user))) {
      join(member, room);
      assertThat(remove(room, user, "", key).statusCode()).isEqualTo(202);
      assertThat(member.awaitType("left").getString("reason")).isEqualTo("removed");
      assertThat(joinAnswer(member, room).getString("type")).isEqualTo("joined");

      assertThat(remove(room, user, "?banSeconds=600", key).statusCode()).isEqualTo(202);
      member.awaitType("left");
      assertThat(joinAnswer(member, room).getString("code")).isEqualTo("forbidden");
      assertThat(remove(room, user, "?banSeconds=0", key).statusCode()).isEqualTo(202);
      assertThat(joinAnswer(member, room).getString("type"))
          .as("banSeconds=0 lifts the ban")
          .isEqualTo("joined");
    }
    assertThat(remove(room, user, "", null).statusCode()).isEqualTo(401);
    HttpResponse<String> yearLong = remove(room, user, "?banSeconds=99999999999", key);
    assertThat(Http.object(yearLong.body()).getInt("banSeconds"))
        .as("more than a year counts as a year, as limit and wait do")
        .isEqualTo(31_536_000);
    assertThat(remove(room, user, "?banSeconds=0", key).statusCode()).isEqualTo(202);
    for (String query : new String[] {"?banSeconds=-1", "?banSeconds=abc", "?banSeconds=1.5"}) {
      HttpResponse<String> bad = remove(room, user, query, key);
      assertThat(bad.statusCode()).as(query).isEqualTo(400);
      assertThat(Http.object(bad.body()).getString("error")).isEqualTo("bad_request");
    }
    assertThat(remove("not%20a%20room", user, "", key).statusCode()).isEqualTo(400);
    assertThat(remove(room, "u".repeat(257), "", key).statusCode()).isEqualTo(400);
    assertThat(remove(Fixtures.room(), user, "", key).statusCode())
        .as("a room nobody is in")
        .isEqualTo(202);
  }
}
