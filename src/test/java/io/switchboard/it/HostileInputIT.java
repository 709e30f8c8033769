package io.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.RawWs;
import io.switchboard.it.support.ServerIT;
import io.switchboard.it.support.WsClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated bad frames and bad HTTP requests against a running node. Afterwards: no
 * 500 was answered, no stack trace was sent, no connection died that should have lived, the node
 * still serves a normal client, and no session or room was left behind.
 */
class HostileInputIT extends ServerIT {

  private static final Set<String> ERROR_CODES = Set.of("bad_request", "not_joined", "forbidden");
  private final Random random = new Random(20261128);
  private final Map<String, Integer> tried = new LinkedHashMap<>();

  private String garbage(int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append((char) (32 + random.nextInt(95)));
    }
    return s.toString();
  }

  private static final String[] VALID = {
    "{\"type\":\"join\",\"room\":\"r1\",\"since\":4,\"epoch\":\"e\",\"history\":3}",
    "{\"type\":\"leave\",\"room\":\"r1\"}",
    "{\"type\":\"chat\",\"room\":\"r1\",\"message\":\"hello\",\"id\":\"c-1\"}",
    "{\"type\":\"typing\",\"room\":\"r1\"}",
  };

  private static final String[] FIELDS = {
    "type", "room", "since", "epoch", "history", "message", "id"
  };
  private static final String[] WRONG_VALUES = {
    "null",
    "true",
    "0",
    "-1",
    "1.5",
    "[]",
    "{}",
    "[1,[2]]",
    "{\"a\":{}}",
    "\"\"",
    "1e400",
    "-1e400",
    "99999999999999999999999999",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"" + "x".repeat(5000) + "\""
  };

  /** Bad frames by class; each class yields a frame per call. */
  private Map<String, Supplier<String>> frameClasses() {
    Map<String, Supplier<String>> classes = new LinkedHashMap<>();
    classes.put("garbage text", () -> garbage(1 + random.nextInt(300)));
    classes.put(
        "truncated JSON",
        () -> {
          String valid = VALID[random.nextInt(VALID.length)];
          return valid.substring(0, 1 + random.nextInt(valid.length() - 1));
        });
    classes.put(
        "wrong type in a field",
        () -> {
          String field = FIELDS[random.nextInt(FIELDS.length)];
          String value = WRONG_VALUES[random.nextInt(WRONG_VALUES.length)];
          String type = new String[] {"join", "leave", "chat", "typing"}[random.nextInt(4)];
          return field.equals("type")
              ? "{\"type\":" + value + ",\"room\":\"r1\"}"
              : "{\"type\":\""
                  + type
                  + "\",\"room\":\"r1\",\"message\":\"m\",\""
                  + field
                  + "\":"
                  + value
                  + "}";
        });
    classes.put(
        "huge numbers",
        () ->
            "{\"type\":\"join\",\"room\":\"r1\",\"since\":"
                + new String[] {"1e309", "-1e309", "1" + "0".repeat(3000), "-0", "0.0000001"}
                    [random.nextInt(5)]
                + ",\"history\":"
                + new String[] {"1e30", "-5", "2.5", "0"}[random.nextInt(4)]
                + "}");
    classes.put(
        "deep nesting",
        () -> {
          int depth = 100 + random.nextInt(7000);
          return "{\"type\":\"ping\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        });
    classes.put(
        "unknown type",
        () -> "{\"type\":\"" + garbage(1 + random.nextInt(20)).replace("\"", "") + "x\"}");
    classes.put(
        "not an object",
        () -> new String[] {"[]", "\"x\"", "42", "null", "true", "[{}]"}[random.nextInt(6)]);
    return classes;
  }

  @Test
  void generatedBadFramesNeverKillAConnectionThatShouldLiveNorAnswerInternal() throws Exception {
    int before = CyclesIT.connections(api());
    List<String> problems = new ArrayList<>();
    int perConnection = 15; // under the burst of 20: every frame gets its own answer
    for (Map.Entry<String, Supplier<String>> frameClass : frameClasses().entrySet()) {
      for (int connection = 0; connection < 40; connection++) {
        try (WsClient client = WsClient.connect(ws("/ws/chat?user=" + Fixtures.user()))) {
          client.expect("welcome");
          for (int i = 0; i < perConnection; i++) {
            String frame = frameClass.getValue().get();
            client.send(frame);
            client.send("{\"type\":\"ping\"}"); // marks the end of this frame's answers
            tried.merge(frameClass.getKey(), 1, Integer::sum);
            while (true) {
              jakarta.json.JsonObject answer;
              try {
                answer = client.next(Duration.ofSeconds(10));
              } catch (AssertionError e) {
                throw new AssertionError(
                    frameClass.getKey()
                        + " got no answer to "
                        + clip(frame)
                        + " / "
                        + e.getMessage());
              }
              String type = answer.getString("type", "?");
              if (answer.toString().contains("Exception")) {
                problems.add("stack trace sent: " + answer);
              }
              if (type.equals("error")) {
                if (!ERROR_CODES.contains(answer.getString("code"))) {
                  problems.add(frameClass.getKey() + ": " + answer + " for " + clip(frame));
                }
              } else if (type.equals("pong")) {
                break;
              } else if (!type.matches("joined|left|chat|ack|presence|typing")) {
                problems.add(
                    frameClass.getKey() + ": unexpected " + answer + " for " + clip(frame));
              }
            }
          }
          assertThat(client.isClosed()).as(frameClass.getKey() + " closed a connection").isFalse();
          client.assertAlive();
        }
      }
    }
    assertThat(problems).isEmpty();
    int oversize = 0;
    for (int i = 0; i < 50; i++) {
      try (WsClient client = WsClient.connect(ws("/ws/chat"))) {
        client.expect("welcome");
        client.send(
            "{\"type\":\"ping\",\"x\":\"" + garbage(16_400 + random.nextInt(20_000)) + "\"}");
        assertThat(client.awaitClose()).isEqualTo(1009);
        oversize++;
      }
    }
    tried.put("oversize (closed 1009)", oversize);
    int invalidUtf8 = 0;
    for (int i = 0; i < 50; i++) {
      try (RawWs raw = RawWs.connect(port(), "/ws/chat")) {
        byte[] bytes = new byte[1 + random.nextInt(200)];
        random.nextBytes(bytes);
        bytes[0] = (byte) 0xC3; // starts a two-byte sequence
        bytes[bytes.length - 1] = (byte) 0xFF; // never valid UTF-8
        raw.sendFrame(RawWs.TEXT, bytes);
        int code = raw.readUntilClose(10_000);
        assertThat(code).as("invalid UTF-8 is a protocol error").isIn(1007, 1002, -1);
        invalidUtf8++;
      }
    }
    tried.put("random bytes as text (closed 1007)", invalidUtf8);
    int binary = 0;
    for (int i = 0; i < 50; i++) {
      try (WsClient client = WsClient.connect(ws("/ws/chat"))) {
        client.expect("welcome");
        byte[] bytes = new byte[random.nextInt(1000)];
        random.nextBytes(bytes);
        client.sendBinary(bytes);
        assertThat(client.awaitClose()).isEqualTo(1003);
        binary++;
      }
    }
    tried.put("binary frames (closed 1003)", binary);

    assertStillServingAndClean(before);
    System.out.println("HOSTILE frames tried by class: " + tried);
  }

  @Test
  void generatedBadHttpRequestsNeverGet500OrAStackTrace() {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    String[] paths = {
      "api/notifications", "api/rooms/r1/messages", "api/rooms/bad%20room/messages"
    };
    for (int i = 0; i < 1500; i++) {
      String path = paths[random.nextInt(paths.length)];
      String kind;
      byte[] body;
      switch (random.nextInt(6)) {
        case 0 -> {
          kind = "garbage body";
          body = garbage(random.nextInt(400)).getBytes(StandardCharsets.UTF_8);
        }
        case 1 -> {
          kind = "random bytes";
          body = new byte[random.nextInt(400)];
          random.nextBytes(body);
        }
        case 2 -> {
          kind = "wrong types";
          String field =
              new String[] {"topic", "event", "data", "user", "message"}[random.nextInt(5)];
          body =
              ("{\"topic\":\"t\",\"message\":\"m\",\"data\":1,\""
                      + field
                      + "\":"
                      + WRONG_VALUES[random.nextInt(WRONG_VALUES.length)]
                      + "}")
                  .getBytes(StandardCharsets.UTF_8);
        }
        case 3 -> {
          kind = "deep nesting";
          int depth = 100 + random.nextInt(20_000);
          body =
              ("{\"topic\":\"t\",\"data\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
                  .getBytes(StandardCharsets.UTF_8);
        }
        case 4 -> {
          kind = "truncated JSON";
          String valid =
              "{\"topic\":\"t\",\"event\":\"e\",\"data\":{\"a\":[1,2,3]},\"message\":\"m\"}";
          body =
              valid.substring(0, random.nextInt(valid.length())).getBytes(StandardCharsets.UTF_8);
        }
        default -> {
          kind = "huge numbers";
          body =
              ("{\"topic\":\"t\",\"data\":1"
                      + "0".repeat(random.nextInt(100_000))
                      + ",\"message\":\"m\"}")
                  .getBytes(StandardCharsets.UTF_8);
        }
      }
      counts.merge(kind, 1, Integer::sum);
      HttpResponse<String> response =
          api()
              .send(
                  HttpRequest.newBuilder(http().resolve(path))
                      .header(
                          "Content-Type",
                          random.nextInt(10) > 0 ? "application/json" : "text/plain")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
      check(problems, kind + " " + path, response);
    }
    String[] queries = {
      "api/rooms/r1/messages?limit=1e99",
      "api/rooms/r1/messages?since=-0",
      "api/rooms/r1/messages?wait=abc",
      "api/rooms/r1/messages?since=99999999999999999999999",
      "api/events?topics=a%20b",
      "api/events/me?user=%01",
      "api/rooms/" + "x".repeat(500) + "/messages",
      "api/rooms/%2e%2e/messages",
      "api/stats?x=%25zz",
      "api/rooms/r1/messages?limit=%25",
      "api/nothing/at/all"
    };
    for (String query : queries) {
      counts.merge("bad queries and paths", 1, Integer::sum);
      check(problems, query, api().get(query));
    }
    assertThat(problems).isEmpty();
    System.out.println("HOSTILE HTTP requests tried by class: " + counts);
  }

  private static void check(List<String> problems, String what, HttpResponse<String> response) {
    if (response == null) {
      return;
    }
    if (response.statusCode() >= 500) {
      problems.add(what + " answered " + response.statusCode() + " " + response.body());
    }
    if (response.body().contains("Exception") || response.body().contains("\tat ")) {
      problems.add(what + " sent a stack trace");
    }
    if (response.statusCode() >= 400 && !response.body().startsWith("{\"error\"")) {
      problems.add(what + " answered without the JSON error body: " + clip(response.body()));
    }
  }

  private void assertStillServingAndClean(int connectionsBefore) {
    Http api = api();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(CyclesIT.connections(api)).isEqualTo(connectionsBefore));
    assertThat(LimitsIT.roomMembers(api, "r1")).isZero();
    String room = Fixtures.room();
    try (WsClient normal = WsClient.connect(ws("/ws/chat/" + room))) {
      normal.expect("welcome");
      normal.expect("joined");
      normal.send("{\"type\":\"chat\",\"message\":\"still here\"}");
      assertThat(normal.awaitType("chat").getString("message")).isEqualTo("still here");
    }
  }

  private static String clip(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "…";
  }
}
