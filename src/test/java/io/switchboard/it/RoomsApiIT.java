package io.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.ServerIT;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The rooms HTTP API: listing, history pages, long polling, publishing, errors. */
class RoomsApiIT extends ServerIT {

  private static void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonObject body = Http.object(response.body());
    assertThat(body.getString("error")).isEqualTo(code);
    assertThat(body.getString("message")).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void publishingAnswers202WithTheOffsetAndMembersReceiveIt() {
    String room = Fixtures.room();
    try (WsClient member = WsClient.connect(ws("/ws/chat/" + room))) {
      member.expect("welcome");
      member.expect("joined");
      HttpResponse<String> response =
          api()
              .post(
                  "api/rooms/" + room + "/messages",
                  "{\"message\":\"deploy done\",\"user\":\"ci\"}");
      assertThat(response.statusCode()).isEqualTo(202);
      assertThat(Http.object(response.body()).getJsonNumber("offset").longValue()).isEqualTo(1);
      JsonObject chat = member.expect("chat");
      assertThat(chat.getString("user")).isEqualTo("ci");
      assertThat(chat.getString("message")).isEqualTo("deploy done");
      api().post("api/rooms/" + room + "/messages", "{\"message\":\"second\"}");
      assertThat(member.expect("chat").getString("user")).isEqualTo("system");
    }
  }

  @Test
  void roomsListsRoomsWithMembersOrHistoryCountingDistinctUsers() {
    String withHistory = Fixtures.room();
    String withMembers = Fixtures.room();
    api().publish(withHistory, "one");
    api().publish(withHistory, "two");
    String user = Fixtures.user();
    try (WsClient a = WsClient.connect(ws("/ws/chat/" + withMembers + "?user=" + user));
        WsClient b = WsClient.connect(ws("/ws/chat/" + withMembers + "?user=" + user))) {
      a.expect("welcome");
      a.expect("joined");
      b.expect("welcome");
      b.expect("joined");
      var rooms = Http.json(api().get("api/rooms").body()).asJsonArray();
      JsonObject history = find(rooms, withHistory);
      assertThat(history.getInt("members")).isZero();
      assertThat(history.getJsonNumber("offset").longValue()).isEqualTo(2);
      JsonObject members = find(rooms, withMembers);
      assertThat(members.getInt("members")).isEqualTo(1);
      assertThat(members.getJsonNumber("offset").longValue()).isZero();
    }
  }

  private static JsonObject find(jakarta.json.JsonArray rooms, String room) {
    return rooms.stream()
        .map(v -> v.asJsonObject())
        .filter(r -> r.getString("room").equals(room))
        .findFirst()
        .orElseThrow(() -> new AssertionError(room + " not listed in " + rooms));
  }

  @Test
  void historyPagesFollowNext() {
    String room = Fixtures.room();
    for (int i = 1; i <= 7; i++) {
      api().publish(room, "m" + i);
    }
    JsonObject latest = Http.object(api().get("api/rooms/" + room + "/messages?limit=3").body());
    assertThat(latest.getString("room")).isEqualTo(room);
    assertThat(latest.getString("epoch")).isNotBlank();
    assertThat(offsets(latest)).containsExactly(5L, 6L, 7L);
    assertThat(latest.getJsonNumber("next").longValue()).isEqualTo(7);

    JsonObject page =
        Http.object(api().get("api/rooms/" + room + "/messages?since=2&limit=2").body());
    assertThat(offsets(page)).containsExactly(3L, 4L);
    assertThat(page.getJsonNumber("next").longValue()).isEqualTo(4);
    JsonObject first = page.getJsonArray("messages").getJsonObject(0);
    assertThat(first.getString("type")).isEqualTo("chat");
    assertThat(first.getString("message")).isEqualTo("m3");

    JsonObject end = Http.object(api().get("api/rooms/" + room + "/messages?since=7").body());
    assertThat(offsets(end)).isEmpty();
    assertThat(end.getJsonNumber("next").longValue()).isEqualTo(7);
  }

  @Test
  void aRoomNeverUsedIsAnEmptyPage() {
    HttpResponse<String> response = api().get("api/rooms/" + Fixtures.room() + "/messages");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject page = Http.object(response.body());
    assertThat(offsets(page)).isEmpty();
    assertThat(page.getJsonNumber("next").longValue()).isZero();
  }

  @Test
  void limitAbove500IsCappedAndInvalidLimitsAre400() {
    String room = Fixtures.room();
    for (int i = 0; i < 510; i++) {
      api().publish(room, "x");
    }
    assertThat(offsets(Http.object(api().get("api/rooms/" + room + "/messages?limit=9999").body())))
        .hasSize(500);
    for (String bad : new String[] {"0", "-1", "abc", "1.5"}) {
      assertError(api().get("api/rooms/" + room + "/messages?limit=" + bad), 400, "bad_request");
    }
    assertError(api().get("api/rooms/" + room + "/messages?since=-3"), 400, "bad_request");
    assertError(api().get("api/rooms/" + room + "/messages?since=x"), 400, "bad_request");
    assertError(api().get("api/rooms/" + room + "/messages?wait=-1"), 400, "bad_request");
  }

  @Test
  void longPollingIsAnsweredWhenAMessageArrives() throws Exception {
    String room = Fixtures.room();
    api().publish(room, "before");
    long started = System.nanoTime();
    CompletableFuture<HttpResponse<String>> poll =
        CompletableFuture.supplyAsync(
            () -> api().get("api/rooms/" + room + "/messages?since=1&wait=20"));
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !poll.isDone()); // the poll waits for a message
    api().publish(room, "after");
    HttpResponse<String> response = poll.get();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    JsonObject page = Http.object(response.body());
    assertThat(offsets(page)).containsExactly(2L);
    assertThat(page.getJsonNumber("next").longValue()).isEqualTo(2);
  }

  @Test
  void longPollingEndsEmptyWhenTheWaitEnds() {
    String room = Fixtures.room();
    long started = System.nanoTime();
    HttpResponse<String> response = api().get("api/rooms/" + room + "/messages?wait=1");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(offsets(Http.object(response.body()))).isEmpty();
    assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
  }

  @Test
  void badPublishBodiesAre400AndNothingIsStored() {
    String room = Fixtures.room();
    String path = "api/rooms/" + room + "/messages";
    for (String body :
        new String[] {
          "{",
          "[]",
          "\"text\"",
          "{}",
          "{\"message\":\"\"}",
          "{\"message\":\"   \"}",
          "{\"message\":42}",
          "{\"message\":\"" + "x".repeat(4001) + "\"}",
          "{\"message\":\"ok\",\"user\":\"bad\\u0001name\"}",
          "{\"message\":\"ok\",\"user\":7}"
        }) {
      assertError(api().post(path, body), 400, "bad_request");
    }
    assertError(
        api().post("api/rooms/bad%20room/messages", "{\"message\":\"x\"}"), 400, "bad_request");
    assertThat(offsets(Http.object(api().get(path).body()))).isEmpty();
  }

  @Test
  void anOversizedBodyIs413() {
    String huge = "{\"message\":\"" + "x".repeat(300 * 1024) + "\"}";
    assertError(
        api().post("api/rooms/" + Fixtures.room() + "/messages", huge), 413, "payload_too_large");
  }

  @Test
  void unknownPathsAre404AndWrongMethodsAre405WithJson() {
    assertError(api().get("api/nothing-here"), 404, "not_found");
    assertError(
        api().send(HttpRequest.newBuilder(api().base().resolve("api/rooms")).DELETE()),
        405,
        "method_not_allowed");
    assertError(
        api()
            .send(
                HttpRequest.newBuilder(api().base().resolve("api/rooms/x/messages"))
                    .PUT(HttpRequest.BodyPublishers.ofString("{}"))),
        405,
        "method_not_allowed");
  }

  private static java.util.List<Long> offsets(JsonObject page) {
    return page.getJsonArray("messages").stream()
        .map(v -> v.asJsonObject().getJsonNumber("offset").longValue())
        .toList();
  }

  @Test
  void anIdempotencyKeyRepeatedGetsTheSameAnswerAndStoresOnce() {
    String room = Fixtures.room();
    java.util.function.Supplier<java.net.http.HttpResponse<String>> publish =
        () ->
            api()
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            http().resolve("api/rooms/" + room + "/messages"))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", "order-4711")
                        .POST(
                            java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"message\":\"shipped\"}")));
    var first = publish.get();
    var second = publish.get();
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(
            Http.object(api().get("api/rooms/" + room + "/messages").body())
                .getJsonArray("messages"))
        .hasSize(1);
    var bad =
        api()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        http().resolve("api/rooms/" + room + "/messages"))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", "has space")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString("{\"message\":\"x\"}")));
    assertThat(bad.statusCode()).isEqualTo(400);
  }
}
