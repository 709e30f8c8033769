package io.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.ServerIT;
import io.switchboard.it.support.SseClient;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Notifications over SSE: format, filters, per-user streams, replay and resync. */
class NotificationsIT extends ServerIT {

  /** Publishes and returns the notification's id. */
  private long notify(String topic, String event, String data, String user) {
    StringBuilder body = new StringBuilder("{\"topic\":\"" + topic + "\",\"data\":" + data);
    if (event != null) {
      body.append(",\"event\":\"").append(event).append('"');
    }
    if (user != null) {
      body.append(",\"user\":\"").append(user).append('"');
    }
    HttpResponse<String> response = api().post("api/notifications", body.append('}').toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return Http.object(response.body()).getJsonNumber("id").longValue();
  }

  private SseClient events(String query) {
    SseClient client = SseClient.open(http().resolve("api/events" + query));
    assertThat(client.next(Duration.ofSeconds(5)).retry()).isEqualTo(3000);
    return client;
  }

  @Test
  void theStreamStartsWithRetryAndIsMarkedUncacheableAndUnbuffered() {
    try (SseClient client = SseClient.open(http().resolve("api/events"))) {
      assertThat(client.status()).isEqualTo(200);
      assertThat(client.header("Content-Type")).startsWith("text/event-stream");
      assertThat(client.header("Cache-Control")).isEqualTo("no-cache");
      assertThat(client.header("X-Accel-Buffering")).isEqualTo("no");
      client.next(Duration.ofSeconds(5));
      assertThat(client.lines().get(0)).isEqualTo("retry: 3000");
    }
  }

  @Test
  void aNamedEventCarriesItsNameIdAndData() {
    String topic = Fixtures.topic();
    try (SseClient client = events("?topics=" + topic)) {
      long before = System.currentTimeMillis();
      long id = notify(topic, "update", "{\"version\":\"1.2\",\"ok\":true}", null);
      SseClient.Event event = client.nextData();
      assertThat(event.name()).isEqualTo("update");
      assertThat(event.id()).isEqualTo(Long.toString(id));
      JsonObject data = event.json();
      assertThat(data.getJsonNumber("id").longValue()).isEqualTo(id);
      assertThat(data.getString("topic")).isEqualTo(topic);
      assertThat(data.getString("event")).isEqualTo("update");
      assertThat(data.getJsonObject("data").getString("version")).isEqualTo("1.2");
      assertThat(data.getJsonNumber("timestamp").longValue())
          .isBetween(before - 1000, System.currentTimeMillis() + 1000);
      assertThat(data.containsKey("user")).isFalse();
    }
  }

  @Test
  void anUnnamedEventHasNoEventLineAndNoEventField() {
    String topic = Fixtures.topic();
    try (SseClient client = events("?topics=" + topic)) {
      long id = notify(topic, null, "[1,\"two\",null]", null);
      SseClient.Event event = client.nextData();
      assertThat(event.name()).isNull();
      assertThat(event.json().containsKey("event")).isFalse();
      assertThat(event.json().getJsonArray("data")).hasSize(3);
      assertThat(client.lines()).noneMatch(l -> l.startsWith("event:"));
      assertThat(client.lines()).contains("id: " + id);
    }
  }

  @Test
  void topicsFilterTheStream() {
    String a = Fixtures.topic();
    String b = Fixtures.topic();
    String c = Fixtures.topic();
    try (SseClient client = events("?topics=" + a + "," + b)) {
      notify(c, null, "1", null);
      notify(a, null, "2", null);
      notify(c, null, "3", null);
      notify(b, null, "4", null);
      List<String> topics = new ArrayList<>();
      topics.add(client.nextData().json().getString("topic"));
      topics.add(client.nextData().json().getString("topic"));
      assertThat(topics).containsExactly(a, b);
      assertThat(client.drainData(Duration.ofMillis(300))).isEmpty();
    }
  }

  @Test
  void addressedNotificationsReachOnlyTheirUser() {
    String topic = Fixtures.topic();
    String bob = Fixtures.user();
    String amy = Fixtures.user();
    try (SseClient everyone = events("?topics=" + topic);
        SseClient bobs =
            SseClient.open(http().resolve("api/events/me?user=" + bob + "&topics=" + topic));
        SseClient amys = SseClient.open(http().resolve("api/events/me?user=" + amy))) {
      bobs.next(Duration.ofSeconds(5));
      amys.next(Duration.ofSeconds(5));
      long forBob = notify(topic, "dm", "{\"text\":\"hi bob\"}", bob);
      long forAll = notify(topic, null, "{\"text\":\"hi all\"}", null);
      SseClient.Event atBob = bobs.nextData();
      assertThat(atBob.id()).isEqualTo(Long.toString(forBob));
      assertThat(atBob.json().getString("user")).isEqualTo(bob);
      assertThat(everyone.nextData().id()).isEqualTo(Long.toString(forAll));
      assertThat(everyone.drainData(Duration.ofMillis(300))).isEmpty();
      assertThat(bobs.drainData(Duration.ofMillis(100))).isEmpty();
      assertThat(amys.drainData(Duration.ofMillis(100))).isEmpty();
    }
  }

  @Test
  void theMeStreamWithoutAUserIs401WithJson() {
    HttpResponse<String> response = api().get("api/events/me");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(Http.object(response.body()).getString("error")).isNotBlank();
  }

  @Test
  void lastEventIdReplaysEveryLaterMatchingNotificationOnceThenLive() {
    String topic = Fixtures.topic();
    String other = Fixtures.topic();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(notify(topic, null, Integer.toString(i), null));
      notify(other, null, "0", null);
    }
    try (SseClient byHeader =
            SseClient.open(
                http().resolve("api/events?topics=" + topic),
                Map.of("Last-Event-ID", Long.toString(ids.get(1))));
        SseClient byQuery = events("?topics=" + topic + "&lastEventId=" + ids.get(3))) {
      List<String> replayed = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        replayed.add(byHeader.nextData().id());
      }
      assertThat(replayed)
          .containsExactly(ids.get(2) + "", ids.get(3) + "", ids.get(4) + "", ids.get(5) + "");
      assertThat(byQuery.nextData().id()).isEqualTo(ids.get(4) + "");
      assertThat(byQuery.nextData().id()).isEqualTo(ids.get(5) + "");
      long live = notify(topic, null, "\"live\"", null);
      assertThat(byHeader.nextData().id()).isEqualTo(live + "");
      assertThat(byQuery.nextData().id()).isEqualTo(live + "");
      assertThat(byHeader.drainData(Duration.ofMillis(300))).as("no duplicate").isEmpty();
    }
  }

  @Test
  void concurrentPublishersStillReachSubscribersInIdOrderWithoutLoss() throws Exception {
    String topic = Fixtures.topic();
    try (SseClient client = events("?topics=" + topic)) {
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(8);
      List<Long> published = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < 300; i++) {
        pool.submit(() -> published.add(notify(topic, null, "0", null)));
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      List<Long> received = new ArrayList<>();
      while (received.size() < 300) {
        received.add(Long.parseLong(client.nextData().id()));
      }
      assertThat(received).isSorted().containsExactlyInAnyOrderElementsOf(published);
    }
  }

  @Test
  void aNonNumericLastEventIdIsIgnored() {
    String topic = Fixtures.topic();
    notify(topic, null, "1", null);
    try (SseClient client =
        SseClient.open(
            http().resolve("api/events?topics=" + topic), Map.of("Last-Event-ID", "abc"))) {
      assertThat(client.next(Duration.ofSeconds(5)).retry()).isEqualTo(3000);
      assertThat(client.drainData(Duration.ofMillis(300))).isEmpty();
      long live = notify(topic, null, "2", null);
      assertThat(client.nextData().id()).isEqualTo(live + "");
    }
  }

  @Test
  void anIdOlderThanHistoryGetsResyncThenEveryKeptNotification() {
    String topic = Fixtures.topic();
    long first = notify(topic, null, "0", null);
    for (int i = 0; i < 520; i++) { // the suite keeps 500 notifications
      notify(Fixtures.topic(), null, "0", null);
    }
    long last = notify(topic, null, "1", null);
    try (SseClient client = events("?topics=" + topic + "&lastEventId=" + (first - 1))) {
      SseClient.Event resync = client.nextData();
      assertThat(resync.name()).isEqualTo("resync");
      assertThat(resync.json().getJsonNumber("lastEventId").longValue()).isEqualTo(first - 1);
      assertThat(resync.json().getJsonNumber("oldest").longValue()).isGreaterThan(first);
      assertThat(client.nextData().id()).isEqualTo(last + "");
    }
  }

  @Test
  void anIdFromTheFutureAlsoGetsResync() {
    try (SseClient client = events("?lastEventId=999999999")) {
      assertThat(client.nextData().name()).isEqualTo("resync");
    }
  }

  @Test
  void anIdleStreamGetsPingComments() {
    try (SseClient client = events("?topics=" + Fixtures.topic())) {
      SseClient.Event ping = client.next(Duration.ofSeconds(5));
      assertThat(ping.comment()).isEqualTo("ping");
      assertThat(client.lines()).contains(": ping");
    }
  }

  @Test
  void badNotificationsAre4xxWithJsonAndNothingIsPublished() {
    String topic = Fixtures.topic();
    try (SseClient client = events("?topics=" + topic)) {
      for (String body :
          new String[] {
            "not json",
            "[]",
            "{\"data\":1}",
            "{\"topic\":\"bad topic\",\"data\":1}",
            "{\"topic\":7,\"data\":1}",
            "{\"topic\":\"" + topic + "\"}",
            "{\"topic\":\"" + topic + "\",\"data\":1,\"event\":5}",
            "{\"topic\":\"" + topic + "\",\"data\":1,\"event\":\"a\\nb\"}",
            "{\"topic\":\"" + topic + "\",\"data\":1,\"user\":\"\"}"
          }) {
        HttpResponse<String> response = api().post("api/notifications", body);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        assertThat(Http.object(response.body()).getString("error")).isEqualTo("bad_request");
      }
      String big = "\"" + "x".repeat(64 * 1024) + "\"";
      HttpResponse<String> tooBig =
          api().post("api/notifications", "{\"topic\":\"" + topic + "\",\"data\":" + big + "}");
      assertThat(tooBig.statusCode()).isEqualTo(413);
      assertThat(Http.object(tooBig.body()).getString("error")).isEqualTo("payload_too_large");
      String justFits = "\"" + "x".repeat(64 * 1024 - 2) + "\"";
      assertThat(
              api()
                  .post(
                      "api/notifications",
                      "{\"topic\":\"" + topic + "\",\"data\":" + justFits + "}")
                  .statusCode())
          .isEqualTo(202);
      assertThat(client.nextData().json().getString("data")).hasSize(64 * 1024 - 2);
      assertThat(client.drainData(Duration.ofMillis(300))).isEmpty();
    }
  }

  @Test
  void invalidTopicsInTheQueryAre400() {
    assertThat(api().get("api/events?topics=ok,no%20way").statusCode()).isEqualTo(400);
  }

  @Test
  void statsShowEveryCounterAndTheStreamTicksEverySecond() {
    JsonObject stats = Http.object(api().get("api/stats").body());
    assertThat(stats.getString("node")).isEqualTo("it-node");
    JsonObject node = stats.getJsonArray("nodes").getJsonObject(0);
    assertThat(node.keySet())
        .contains(
            "node", "connections", "sseClients", "rooms", "messagesIn", "messagesOut", "uptimeMs");
    assertThat(stats.getJsonObject("totals").keySet())
        .contains("connections", "sseClients", "rooms", "messagesIn", "messagesOut");
    try (SseClient stream = SseClient.open(http().resolve("api/stats/stream"))) {
      assertThat(stream.next(Duration.ofSeconds(5)).retry()).isEqualTo(3000);
      SseClient.Event first = stream.await(e -> "stats".equals(e.name()));
      SseClient.Event second = stream.await(e -> "stats".equals(e.name()));
      assertThat(first.json().getJsonArray("nodes")).isNotEmpty();
      assertThat(
              second
                  .json()
                  .getJsonArray("nodes")
                  .getJsonObject(0)
                  .getJsonNumber("uptimeMs")
                  .longValue())
          .isGreaterThan(
              first
                  .json()
                  .getJsonArray("nodes")
                  .getJsonObject(0)
                  .getJsonNumber("uptimeMs")
                  .longValue());
      assertThat(second.json().getJsonObject("totals").getInt("sseClients"))
          .isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void aThousandSseConnectDisconnectCyclesLeaveNoClientBehind() throws Exception {
    int before = sseClients();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<?>> cycles = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      cycles.add(
          pool.submit(
              () -> {
                try (SseClient client = SseClient.open(http().resolve("api/events"))) {
                  client.next(Duration.ofSeconds(10));
                }
              }));
    }
    for (var cycle : cycles) {
      cycle.get();
    }
    pool.shutdown();
    await().atMost(Duration.ofSeconds(60)).until(() -> sseClients() <= before);
  }

  @Test
  void aStalledSseClientDoesNotDelayTheOthers() throws Exception {
    String topic = Fixtures.topic();
    try (java.net.Socket stalled = new java.net.Socket()) {
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new java.net.InetSocketAddress("127.0.0.1", port()));
      stalled
          .getOutputStream()
          .write(
              ("GET /api/events?topics="
                      + topic
                      + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Accept: text/event-stream\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      try (SseClient reader = events("?topics=" + topic)) {
        String data = "\"" + "d".repeat(60_000) + "\"";
        List<String> sent = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 150; i++) {
          sent.add(Long.toString(notify(topic, null, data, null)));
        }
        List<String> received = new ArrayList<>();
        while (received.size() < sent.size()) {
          received.add(reader.nextData().id());
        }
        assertThat(received).containsExactlyElementsOf(sent);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
      }
    }
  }

  private int sseClients() {
    return Http.object(api().get("api/stats").body()).getJsonObject("totals").getInt("sseClients");
  }
}
