package io.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RawSse;
import io.switchboard.it.support.RawWs;
import io.switchboard.it.support.Sockets;
import io.switchboard.it.support.SseClient;
import io.switchboard.it.support.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that stop reading cost only themselves: they are cut (their TCP connection is gone from
 * the server) within the write timeout, and never delay anyone else.
 */
class SlowClientsIT {

  static final int WRITE_TIMEOUT_SECONDS = 3;
  private static PayaraNode node;

  @BeforeAll
  static void start() throws Exception {
    node =
        PayaraNode.start(
            "slow-clients",
            Map.of("switchboard.write-timeout.seconds", Integer.toString(WRITE_TIMEOUT_SECONDS)));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void twentyStreamsThatNeverReadAreCutWhileAReaderGetsEveryNotificationWithinASecond()
      throws Exception {
    String topic = Fixtures.topic();
    List<RawSse> stalled = new ArrayList<>();
    Map<Long, Long> received = new ConcurrentHashMap<>();
    try (SseClient reader = SseClient.open(node.http().resolve("api/events?topics=" + topic))) {
      for (int i = 0; i < 20; i++) {
        stalled.add(RawSse.open(node.port(), "/api/events?topics=" + topic));
      }
      assertThat(reader.next(Duration.ofSeconds(5)).retry()).isEqualTo(3000);
      Thread collector =
          new Thread(
              () -> {
                while (received.size() < 300) {
                  SseClient.Event event = reader.next(Duration.ofSeconds(30));
                  if (event.isData()) {
                    received.put(Long.parseLong(event.id()), System.nanoTime());
                  }
                }
              });
      collector.setDaemon(true);
      collector.start();
      String padding = "x".repeat(60 * 1024);
      Map<Long, Long> sentAt = new ConcurrentHashMap<>();
      Http api = node.api();
      for (int i = 0; i < 300; i++) {
        long before = System.nanoTime();
        long id =
            Http.object(
                    api.post(
                            "api/notifications",
                            "{\"topic\":\"" + topic + "\",\"data\":\"" + padding + "\"}")
                        .body())
                .getJsonNumber("id")
                .longValue();
        sentAt.put(id, before);
        Thread.sleep(10);
      }
      collector.join(30_000);
      assertThat(received).as("every notification reached the reader").hasSize(300);
      long worstMillis =
          sentAt.entrySet().stream()
                  .mapToLong(e -> received.get(e.getKey()) - e.getValue())
                  .max()
                  .orElseThrow()
              / 1_000_000;
      System.out.println(
          "SLOW CLIENTS: worst SSE latency beside 20 stalled streams " + worstMillis + " ms");
      assertThat(worstMillis).as("the reader's worst latency, ms").isLessThan(1000);
      await()
          .atMost(Duration.ofSeconds(WRITE_TIMEOUT_SECONDS + 15))
          .until(
              () ->
                  stalled.stream()
                      .noneMatch(s -> Sockets.serverSideExists(node.port(), s.localPort())));
      assertThat(reader.ended()).as("the reader is not cut").isFalse();
    } finally {
      stalled.forEach(RawSse::close);
    }
  }

  @Test
  void aWebSocketThatStopsReadingLosesItsSocketWithinTheWriteTimeoutOf4009() throws Exception {
    String room = Fixtures.room();
    Http api = node.api();
    try (RawWs stalled =
        RawWs.connect(
            node.port(), "/ws/chat/" + room + "?user=" + Fixtures.user(), Map.of(), 4096)) {
      await().until(() -> LimitsIT.roomMembers(api, room) == 1);
      String body = "{\"message\":\"" + "€".repeat(3990) + "\"}";
      while (LimitsIT.roomMembers(api, room) == 1) {
        for (int i = 0; i < 50; i++) {
          api.post("api/rooms/" + room + "/messages", body);
        }
      }
      long closedAt = System.nanoTime(); // 4009: Switchboard let go of it
      assertThat(Sockets.serverSideExists(node.port(), stalled.localPort()))
          .as("the socket is still there right after the 4009")
          .isTrue();
      await()
          .atMost(Duration.ofSeconds(WRITE_TIMEOUT_SECONDS + 5))
          .until(() -> !Sockets.serverSideExists(node.port(), stalled.localPort()));
      System.out.println(
          "SLOW CLIENTS: a stalled WebSocket's socket was gone "
              + (System.nanoTime() - closedAt) / 1_000_000
              + " ms after its 4009");
    }
  }

  /**
   * Cutting a connection must never touch another: while stalled clients are cut, clients that
   * connect, talk and leave each get exactly their own frames (a container that recycled a
   * connection's objects under a live one would hand them someone else's bytes).
   */
  @Test
  void cuttingStalledClientsNeverDisturbsTheOthers() throws Exception {
    String room = Fixtures.room();
    Http api = node.api();
    List<RawWs> stalled = new ArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean flooding =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread flood =
        new Thread(
            () -> {
              String body = "{\"message\":\"" + "€".repeat(3990) + "\"}";
              while (flooding.get()) {
                api.post("api/rooms/" + room + "/messages", body);
              }
            });
    List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        stalled.add(
            RawWs.connect(
                node.port(), "/ws/chat/" + room + "?user=" + Fixtures.user(), Map.of(), 4096));
      }
      flood.start();
      java.util.concurrent.ExecutorService talkers =
          java.util.concurrent.Executors.newFixedThreadPool(4);
      List<java.util.concurrent.Future<?>> cycles = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        cycles.add(
            talkers.submit(
                () -> {
                  String user = Fixtures.user();
                  try (WsClient client = WsClient.connect(node.ws("/ws/chat?user=" + user))) {
                    jakarta.json.JsonObject welcome = client.expect("welcome");
                    if (!welcome.getString("user").equals(user)) {
                      wrong.add("welcome for " + user + ": " + welcome);
                    }
                    client.send("{\"type\":\"ping\"}");
                    client.expect("pong");
                    client.drain(Duration.ofMillis(20)).forEach(f -> wrong.add(user + " got " + f));
                  }
                }));
      }
      for (java.util.concurrent.Future<?> cycle : cycles) {
        cycle.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
      talkers.shutdown();
      await()
          .atMost(Duration.ofSeconds(WRITE_TIMEOUT_SECONDS + 30))
          .until(
              () ->
                  stalled.stream()
                      .noneMatch(s -> Sockets.serverSideExists(node.port(), s.localPort())));
    } finally {
      flooding.set(false);
      flood.join(30_000);
      stalled.forEach(RawWs::close);
    }
    assertThat(wrong).as("frames that reached the wrong client").isEmpty();
  }
}
