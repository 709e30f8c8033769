package io.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.RawWs;
import io.switchboard.it.support.ServerIT;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Frame size, binary frames, rate limits, slow consumers, heartbeats and idle connections. */
class LimitsIT extends ServerIT {

  /** A ping frame padded to exactly {@code bytes} UTF-8 bytes. */
  private static String pingOfBytes(int bytes, String filler) {
    String head = "{\"type\":\"ping\",\"pad\":\"";
    String tail = "\"}";
    int fillerBytes = filler.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    int room = bytes - head.length() - tail.length();
    StringBuilder pad = new StringBuilder();
    while (room >= fillerBytes) {
      pad.append(filler);
      room -= fillerBytes;
    }
    pad.append("x".repeat(room));
    return head + pad + tail;
  }

  @Test
  void aFrameOfExactlyTheLimitIsAcceptedAndOneByteMoreIsClosed1009() {
    try (WsClient client = WsClient.connect(ws("/ws/chat"))) {
      client.expect("welcome");
      String atLimit = pingOfBytes(16384, "x");
      assertThat(atLimit.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(16384);
      client.send(atLimit);
      client.expect("pong");
      client.send(pingOfBytes(16385, "x"));
      assertThat(client.awaitClose()).isEqualTo(1009);
    }
  }

  @Test
  void theLimitCountsBytesNotCharacters() {
    try (WsClient client = WsClient.connect(ws("/ws/chat"))) {
      client.expect("welcome");
      String multiByte = pingOfBytes(16386, "é"); // about 8200 characters, 16386 bytes
      assertThat(multiByte.length()).isLessThan(16384);
      client.send(multiByte);
      assertThat(client.awaitClose()).isEqualTo(1009);
    }
  }

  @Test
  void aBinaryFrameIsClosed1003() {
    try (WsClient client = WsClient.connect(ws("/ws/chat"))) {
      client.expect("welcome");
      client.sendBinary(new byte[] {1, 2, 3});
      assertThat(client.awaitClose()).isEqualTo(1003);
    }
  }

  @Test
  void aBurstGetsRateLimitedErrorsAndTheConnectionLives() {
    String room = Fixtures.room();
    try (WsClient client = WsClient.connect(ws("/ws/chat/" + room))) {
      client.expect("welcome");
      client.expect("joined");
      for (int i = 0; i < 50; i++) {
        client.send("{\"type\":\"chat\",\"message\":\"burst " + i + "\",\"id\":\"b-" + i + "\"}");
      }
      List<JsonObject> frames = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                frames.addAll(client.drain(Duration.ofMillis(50)));
                return frames.stream().filter(f -> f.getString("type").matches("ack|error")).count()
                    == 50;
              });
      List<JsonObject> acks =
          frames.stream().filter(f -> f.getString("type").equals("ack")).toList();
      List<JsonObject> limited =
          frames.stream().filter(f -> f.getString("type").equals("error")).toList();
      assertThat(acks.size()).isBetween(20, 25); // the burst, plus what refilled meanwhile
      assertThat(limited)
          .allSatisfy(
              e -> {
                assertThat(e.getString("code")).isEqualTo("rate_limited");
                assertThat(e.getJsonNumber("retryAfterMs").longValue()).isBetween(1L, 1000L);
                assertThat(e.getString("id")).startsWith("b-");
              });
      assertThat(frames.stream().filter(f -> f.getString("type").equals("chat")).count())
          .as("dropped messages are not delivered")
          .isEqualTo(acks.size());
      client.assertAlive();
      assertThat(client.isClosed()).isFalse();
    }
  }

  @Test
  void theRateLimitIsAlsoPerUserAcrossConnections() {
    String user = Fixtures.user();
    try (WsClient first = WsClient.connect(ws("/ws/chat?user=" + user));
        WsClient second = WsClient.connect(ws("/ws/chat?user=" + user))) {
      first.expect("welcome");
      second.expect("welcome");
      for (int i = 0; i < 15; i++) {
        first.send("{\"type\":\"typing\",\"room\":\"nowhere\"}");
        second.send("{\"type\":\"typing\",\"room\":\"nowhere\"}");
      }
      List<JsonObject> errors = new ArrayList<>();
      errors.addAll(first.drain(Duration.ofMillis(300)));
      errors.addAll(second.drain(Duration.ofMillis(300)));
      long limited =
          errors.stream().filter(e -> e.getString("code").equals("rate_limited")).count();
      assertThat(limited)
          .as("30 frames of one user against a burst of 20")
          .isGreaterThanOrEqualTo(5);
    }
  }

  @Test
  void sustainedAbuseIsClosed4008() {
    try (WsClient client = WsClient.connect(ws("/ws/chat"))) {
      client.expect("welcome");
      // The burst of 20 passes, then 61 refusals within 10 s close the connection. Frames sent
      // after the server's close would reset the socket before the client reads the close frame,
      // so send just enough, then a few more at a time if refills let some pass.
      List<JsonObject> answers = new ArrayList<>();
      for (int i = 0; i < 81; i++) {
        client.send("{\"type\":\"typing\",\"room\":\"nowhere\"}");
      }
      for (int extra = 0; extra < 20 && !client.isClosed(); extra++) {
        answers.addAll(client.drain(Duration.ofMillis(300)));
        for (int i = 0; i < 5 && !client.isClosed(); i++) {
          client.send("{\"type\":\"typing\",\"room\":\"nowhere\"}");
        }
      }
      assertThat(client.awaitClose()).isEqualTo(4008);
      assertThat(client.closeReason()).isEqualTo("Rate limit exceeded");
      answers.addAll(client.drain(Duration.ofMillis(100)));
      assertThat(answers.stream().filter(a -> "rate_limited".equals(a.getString("code", ""))))
          .as("every refusal up to the close is answered, then the close")
          .hasSize(61);
    }
  }

  /** A raw client in the room that never reads but stays alive (it keeps sending pings). */
  private static final class Stalled implements AutoCloseable {
    final RawWs socket;
    final Thread keepAlive;
    volatile boolean running = true;

    Stalled(int port, String room) throws IOException {
      socket = RawWs.connect(port, "/ws/chat/" + room + "?user=" + Fixtures.user(), Map.of(), 4096);
      keepAlive =
          new Thread(
              () -> {
                while (running) {
                  try {
                    socket.sendText("{\"type\":\"ping\"}");
                    Thread.sleep(500);
                  } catch (IOException | InterruptedException e) {
                    return;
                  }
                }
              });
      keepAlive.start();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      keepAlive.join();
      socket.close();
    }
  }

  /** Publishes big messages (12 KB) from a few threads until the condition holds; their offsets. */
  private static List<Long> flood(
      Http api, String room, int max, java.util.function.BooleanSupplier done) throws Exception {
    String body = "€".repeat(3990);
    List<Long> offsets = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicInteger left =
        new java.util.concurrent.atomic.AtomicInteger(max);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      pool.submit(
          () -> {
            while (left.getAndDecrement() > 0 && !done.getAsBoolean()) {
              offsets.add(api.publish(room, body));
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES);
    List<Long> sorted = new ArrayList<>(offsets);
    java.util.Collections.sort(sorted);
    return sorted;
  }

  @Test
  void aClientThatStopsReadingIsClosed4009WhileTheOthersReceiveEverything() throws Exception {
    String room = Fixtures.room();
    Http api = api();
    try (WsClient reader = WsClient.connect(ws("/ws/chat/" + room));
        Stalled stalled = new Stalled(port(), room)) {
      reader.expect("welcome");
      reader.expect("joined");
      await().until(() -> roomMembers(api, room) == 2);
      List<Long> offsets = flood(api, room, 2500, () -> false);
      await().atMost(Duration.ofSeconds(30)).until(() -> roomMembers(api, room) == 1);
      List<Long> received = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                reader.drain(Duration.ofMillis(100)).stream()
                    .filter(f -> f.getString("type").equals("chat"))
                    .forEach(f -> received.add(f.getJsonNumber("offset").longValue()));
                return received.size() >= offsets.size();
              });
      assertThat(received)
          .as("the reader got every message, in order")
          .containsExactlyElementsOf(offsets);
      JsonObject stats = Http.object(api.get("api/stats").body());
      assertThat(stats.getJsonObject("totals").getInt("connections")).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void theStalledClientReadsItsCloseCodeWhenItResumes() throws Exception {
    String room = Fixtures.room();
    Http api = api();
    try (Stalled stalled = new Stalled(port(), room)) {
      await().until(() -> roomMembers(api, room) == 1);
      flood(api, room, 2500, () -> roomMembers(api, room) == 0);
      await().atMost(Duration.ofSeconds(20)).until(() -> roomMembers(api, room) == 0);
      stalled.running = false;
      // Reading again drains the backlog, then the server's close frame arrives.
      assertThat(stalled.socket.readUntilClose(4_000)).isEqualTo(4009);
    }
  }

  @Test
  void theServerPingsAndClosesAClientSilentForTheIdleTimeout() throws Exception {
    try (RawWs silent = RawWs.connect(port(), "/ws/chat")) {
      long start = System.nanoTime();
      boolean pinged = false;
      int closeCode = 0;
      while (closeCode == 0) {
        RawWs.Frame frame = silent.read(15_000);
        if (frame.opcode() == RawWs.PING) {
          pinged = true; // and never answered
        } else if (frame.opcode() == RawWs.CLOSE) {
          closeCode = frame.closeCode();
        }
      }
      Duration silentFor = Duration.ofNanos(System.nanoTime() - start);
      assertThat(pinged).as("heartbeat pings (every 2 s in this suite)").isTrue();
      assertThat(closeCode).isEqualTo(1001);
      assertThat(silentFor)
          .as("idle timeout is 6 s in this suite")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(6));
    }
  }

  @Test
  void aClientThatAnswersPingsStaysConnectedPastTheIdleTimeout() {
    try (WsClient client = WsClient.connect(ws("/ws/chat"))) {
      client.expect("welcome");
      client.expectSilence(Duration.ofSeconds(9));
      assertThat(client.isClosed()).isFalse();
      client.assertAlive();
    }
  }

  static int roomMembers(Http api, String room) {
    for (var entry : Http.json(api.get("api/rooms").body()).asJsonArray()) {
      JsonObject r = entry.asJsonObject();
      if (r.getString("room").equals(room)) {
        return r.getInt("members");
      }
    }
    return 0;
  }
}
