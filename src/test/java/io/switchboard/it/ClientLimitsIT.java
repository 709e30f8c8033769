package io.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.Http;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RawSse;
import io.switchboard.it.support.RawWs;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The caps on what one client may open or spend, each answered with its code and never at the
 * expense of other clients. Small caps on a node of their own; each test connects from a loopback
 * address of its own (127.0.0.x), so that the per-address caps of one test do not touch another.
 */
class ClientLimitsIT {

  private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger(10);
  private static PayaraNode node;

  @BeforeAll
  static void start() throws Exception {
    node =
        PayaraNode.start(
            "client-limits",
            Map.of(
                "switchboard.limits.rooms-per-connection", "5",
                "switchboard.limits.connections-per-address", "4",
                "switchboard.limits.connections-per-user", "2",
                "switchboard.limits.streams-per-address", "3",
                "switchboard.limits.streams-per-user", "2",
                "switchboard.limits.publish-rate", "5"));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static String address() {
    return "127.0.0." + NEXT_ADDRESS.getAndIncrement();
  }

  private static RawWs connect(String from, String query) throws IOException {
    return RawWs.connect(from, node.port(), "/ws/chat" + query, Map.of(), 0);
  }

  @Test
  void aConnectionMayJoinOnlySoManyRoomsAndIsToldWithLimitExceeded() throws Exception {
    try (RawWs ws = connect(address(), "?user=" + Fixtures.user())) {
      assertThat(ws.nextJson().getString("type")).isEqualTo("welcome");
      List<String> rooms = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String room = Fixtures.room();
        rooms.add(room);
        ws.sendText("{\"type\":\"join\",\"room\":\"" + room + "\",\"history\":0}");
        assertThat(ws.nextJson().getString("type")).isEqualTo("joined");
      }
      ws.sendText("{\"type\":\"join\",\"room\":\"one-too-many\",\"id\":\"j6\"}");
      JsonObject refused = ws.nextJson();
      assertThat(refused.getString("code")).isEqualTo("limit_exceeded");
      assertThat(refused.getString("id")).isEqualTo("j6");
      ws.sendText("{\"type\":\"join\",\"room\":\"" + rooms.get(0) + "\"}");
      assertThat(ws.nextJson().getString("type")).as("a room already joined").isEqualTo("joined");
      ws.sendText("{\"type\":\"leave\",\"room\":\"" + rooms.get(0) + "\"}");
      assertThat(ws.nextJson().getString("type")).isEqualTo("left");
      ws.sendText("{\"type\":\"join\",\"room\":\"one-too-many\"}");
      assertThat(ws.nextJson().getString("type"))
          .as("after a leave there is room")
          .isEqualTo("joined");
    }
  }

  @Test
  void connectionsPastTheAddressCapAre429BeforeTheUpgrade() throws Exception {
    String from = address();
    List<RawWs> open = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        RawWs ws = connect(from, "?user=" + Fixtures.user());
        open.add(ws);
        assertThat(ws.status()).isEqualTo(101);
      }
      try (RawWs refused = connect(from, "?user=" + Fixtures.user())) {
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isNotNull();
      }
      try (RawWs other = connect(address(), "?user=" + Fixtures.user())) {
        assertThat(other.status()).as("another address is not capped").isEqualTo(101);
      }
      open.remove(0).close();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                try (RawWs again = connect(from, "?user=" + Fixtures.user())) {
                  return again.status() == 101;
                }
              });
    } finally {
      open.forEach(RawWs::close);
    }
  }

  @Test
  void connectionsPastTheUserCapAre429WhateverTheAddress() throws Exception {
    String user = Fixtures.user();
    try (RawWs first = connect(address(), "?user=" + user);
        RawWs second = connect(address(), "?user=" + user);
        RawWs third = connect(address(), "?user=" + user);
        RawWs someoneElse = connect(address(), "?user=" + Fixtures.user())) {
      assertThat(first.status()).isEqualTo(101);
      assertThat(second.status()).isEqualTo(101);
      assertThat(third.status()).isEqualTo(429);
      assertThat(someoneElse.status()).isEqualTo(101);
    }
  }

  @Test
  void aClientCannotPlantALeaseOfItsOwn() throws Exception {
    String from = address();
    List<RawWs> open = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        open.add(connect(from, "?user=" + Fixtures.user() + "&switchboard.lease=planted"));
        assertThat(open.get(i).status()).isEqualTo(101);
        assertThat(open.get(i).nextJson().getString("type")).isEqualTo("welcome");
      }
      try (RawWs refused = connect(from, "?switchboard.lease=planted")) {
        assertThat(refused.status()).as("the planted lease counts for nothing").isEqualTo(429);
      }
    } finally {
      open.forEach(RawWs::close);
    }
  }

  @Test
  void eventStreamsPastTheAddressAndUserCapsAre429() throws Exception {
    String from = address();
    List<RawSse> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        RawSse stream = RawSse.request(from, node.port(), "/api/events", Map.of());
        open.add(stream);
        assertThat(stream.status()).isEqualTo(200);
      }
      try (RawSse refused = RawSse.request(from, node.port(), "/api/events", Map.of())) {
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isNotNull();
      }
      String user = Fixtures.user();
      try (RawSse a =
              RawSse.request(address(), node.port(), "/api/events/me?user=" + user, Map.of());
          RawSse b =
              RawSse.request(address(), node.port(), "/api/events/me?user=" + user, Map.of());
          RawSse c =
              RawSse.request(address(), node.port(), "/api/events/me?user=" + user, Map.of())) {
        assertThat(List.of(a.status(), b.status(), c.status())).containsExactly(200, 200, 429);
      }
    } finally {
      open.forEach(RawSse::close);
    }
  }

  @Test
  void theHttpPublishEndpointsAreRateLimitedPerCredential() {
    Http api = node.api();
    String room = Fixtures.room();
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> limited = null;
    for (int i = 0; i < 30 && limited == null; i++) {
      HttpResponse<String> response =
          api.post("api/rooms/" + room + "/messages", "{\"message\":\"m" + i + "\"}");
      statuses.add(response.statusCode());
      if (response.statusCode() == 429) {
        limited = response;
      }
    }
    assertThat(limited).as("a burst of twice the rate (10), then 429: " + statuses).isNotNull();
    assertThat(statuses.subList(0, 10)).containsOnly(202);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    assertThat(Http.object(limited.body()).getString("error")).isEqualTo("rate_limited");
    long stored =
        Http.object(api.get("api/rooms/" + room + "/messages?limit=500").body())
            .getJsonArray("messages")
            .size();
    assertThat(stored).as("every 202 was stored, no 429 was").isEqualTo(statuses.size() - 1);
  }

  @Test
  void aFloodOf16KiBPingsSpendsTheByteBudgetAndEndsIn4008AfterEveryAnswer() throws Exception {
    String ping = "{\"type\":\"ping\",\"pad\":\"" + "p".repeat(16_000) + "\"}";
    assertThat(ping.getBytes(StandardCharsets.UTF_8).length).isLessThan(16_384);
    try (RawWs ws = connect(address(), "?user=" + Fixtures.user());
        WsClient bystander = WsClient.connect(node.ws("/ws/chat?user=" + Fixtures.user()))) {
      bystander.expect("welcome");
      assertThat(ws.nextJson().getString("type")).isEqualTo("welcome");
      for (int i = 0; i < 200; i++) {
        ws.sendText(ping);
      }
      int pongs = 0;
      int limited = 0;
      int closeCode;
      while (true) {
        RawWs.Frame frame = ws.read(20_000);
        if (frame.opcode() == RawWs.CLOSE) {
          closeCode = frame.closeCode();
          break;
        }
        if (frame.opcode() == RawWs.TEXT) {
          JsonObject answer = Http.object(frame.text());
          if (answer.getString("type").equals("pong")) {
            pongs++;
          } else if (answer.getString("code", "").equals("rate_limited")) {
            limited++;
          }
        }
      }
      System.out.println("CLIENT LIMITS: ping flood: " + pongs + " pongs, " + limited + " refused");
      assertThat(pongs).as("the budget's burst (64 KiB) and refill").isBetween(4, 20);
      assertThat(limited).as("every refusal up to the 4008 is answered").isEqualTo(61);
      assertThat(closeCode).isEqualTo(4008);
      bystander.send("{\"type\":\"ping\"}");
      bystander.expect("pong");
    }
  }
}
