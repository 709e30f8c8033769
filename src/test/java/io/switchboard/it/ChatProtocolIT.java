package io.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.it.support.Fixtures;
import io.switchboard.it.support.ServerIT;
import io.switchboard.it.support.WsClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The chat frames of the wire contract, one rule per test, with real clients. */
class ChatProtocolIT extends ServerIT {

  private WsClient connect(String user) {
    WsClient client = WsClient.connect(ws("/ws/chat?user=" + user));
    client.expect("welcome");
    return client;
  }

  private WsClient joined(String user, String room) {
    WsClient client = connect(user);
    client.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
    client.expect("joined");
    return client;
  }

  @Test
  void welcomeCarriesTheIdentityAndTheNode() {
    String user = Fixtures.user();
    try (WsClient client = WsClient.connect(ws("/ws/chat?user=" + user))) {
      JsonObject welcome = client.expect("welcome");
      assertThat(welcome.getString("user")).isEqualTo(user);
      assertThat(welcome.getString("userId")).isEqualTo(user);
      assertThat(welcome.getString("node")).isEqualTo("it-node");
    }
  }

  @Test
  void guestWithoutANameGetsAGeneratedOne() {
    try (WsClient anonymous = WsClient.connect(ws("/ws/chat"));
        WsClient blank = WsClient.connect(ws("/ws/chat?user=%20%20"))) {
      assertThat(anonymous.expect("welcome").getString("user")).matches("guest-[a-z0-9]{4}");
      JsonObject welcome = blank.expect("welcome");
      assertThat(welcome.getString("user")).matches("guest-[a-z0-9]{4}");
      assertThat(welcome.getString("userId")).isEqualTo(welcome.getString("user"));
    }
  }

  @Test
  void namesAreTrimmedAndMayUseAnyScript() {
    try (WsClient client =
        WsClient.connect(ws("/ws/chat?user=%20Zo%C3%AB%20%E5%B0%8F%E6%98%8E%20"))) {
      assertThat(client.expect("welcome").getString("user")).isEqualTo("Zoë 小明");
    }
  }

  @Test
  void invalidNamesAreRefusedWith1008BeforeWelcome() {
    String tooLong = "a".repeat(33);
    for (String user :
        new String[] {tooLong, "bad%01name", "tab%09name", "zero%E2%80%8Bwidth", "api:system"}) {
      try (WsClient client = WsClient.connect(ws("/ws/chat?user=" + user))) {
        assertThat(client.awaitClose()).as(user).isEqualTo(1008);
        assertThat(client.closeReason()).isEqualTo("Invalid user");
        assertThat(client.drain(Duration.ofMillis(100))).as("no welcome").isEmpty();
      }
    }
  }

  @Test
  void joinIsAnsweredWithMembersOffsetAndEpoch() {
    String room = Fixtures.room();
    String alice = Fixtures.user();
    try (WsClient client = connect(alice)) {
      client.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
      JsonObject joined = client.expect("joined");
      assertThat(joined.getString("room")).isEqualTo(room);
      assertThat(joined.getJsonArray("members").getValuesAs(JsonString::getString))
          .containsExactly(alice);
      assertThat(joined.getInt("memberCount")).isEqualTo(1);
      assertThat(joined.getJsonNumber("offset").longValue()).isZero();
      assertThat(joined.getString("epoch")).isNotBlank();
      assertThat(joined.containsKey("recovered")).as("no since, no epoch").isFalse();
    }
  }

  @Test
  void aMessageReachesEveryMemberWithTheSenderAckedAfterStorage() {
    String room = Fixtures.room();
    String alice = Fixtures.user();
    String bob = Fixtures.user();
    try (WsClient a = joined(alice, room);
        WsClient b = joined(bob, room)) {
      a.awaitType("presence");
      long before = System.currentTimeMillis();
      a.send("{\"type\":\"chat\",\"room\":\"" + room + "\",\"message\":\"hi\",\"id\":\"c-17\"}");
      JsonObject atBob = b.awaitType("chat");
      assertThat(atBob.getString("user")).isEqualTo(alice);
      assertThat(atBob.getString("userId")).isEqualTo(alice);
      assertThat(atBob.getString("message")).isEqualTo("hi");
      assertThat(atBob.getString("id")).isEqualTo("c-17");
      assertThat(atBob.getJsonNumber("offset").longValue()).isEqualTo(1);
      assertThat(atBob.getJsonNumber("timestamp").longValue())
          .isBetween(before - 1000, System.currentTimeMillis() + 1000);
      JsonObject own = a.awaitType("chat");
      assertThat(own).isEqualTo(atBob);
      JsonObject ack = a.awaitType("ack");
      assertThat(ack.getString("id")).isEqualTo("c-17");
      assertThat(ack.getString("room")).isEqualTo(room);
      assertThat(ack.getJsonNumber("offset").longValue()).isEqualTo(1);
    }
  }

  @Test
  void offsetsStartAtOneAndGrowByOneAndTheServerMakesMissingIds() {
    String room = Fixtures.room();
    try (WsClient a = joined(Fixtures.user(), room)) {
      for (int i = 1; i <= 5; i++) {
        a.send("{\"type\":\"chat\",\"message\":\"m" + i + "\"}");
        JsonObject chat = a.awaitType("chat");
        assertThat(chat.getJsonNumber("offset").longValue()).isEqualTo(i);
        JsonObject ack = a.awaitType("ack");
        assertThat(ack.getString("id")).isNotBlank().isEqualTo(chat.getString("id"));
      }
    }
  }

  @Test
  void aClientCannotChooseAnotherIdentity() {
    String room = Fixtures.room();
    String alice = Fixtures.user();
    try (WsClient a = joined(alice, room)) {
      a.send("{\"type\":\"chat\",\"message\":\"hi\",\"user\":\"mallory\",\"userId\":\"mallory\"}");
      JsonObject chat = a.awaitType("chat");
      assertThat(chat.getString("user")).isEqualTo(alice);
      assertThat(chat.getString("userId")).isEqualTo(alice);
    }
  }

  @Test
  void typingReachesEveryoneButTheTypistAndIsNeverStored() {
    String room = Fixtures.room();
    String alice = Fixtures.user();
    try (WsClient a = joined(alice, room);
        WsClient b = joined(Fixtures.user(), room)) {
      a.awaitType("presence");
      a.send("{\"type\":\"typing\",\"room\":\"" + room + "\"}");
      JsonObject typing = b.awaitType("typing");
      assertThat(typing.getString("room")).isEqualTo(room);
      assertThat(typing.getString("user")).isEqualTo(alice);
      assertThat(a.framesAroundAPing(Duration.ofMillis(200)))
          .as("the typist is not told its own typing")
          .noneMatch(f -> f.getString("type").equals("typing"));
      assertThat(api().get("api/rooms/" + room + "/messages").body()).contains("\"messages\":[]");
    }
  }

  @Test
  void presenceIsAnnouncedOnAUsersFirstConnectionAndLastDisconnection() {
    String room = Fixtures.room();
    String bob = Fixtures.user();
    try (WsClient alice = joined(Fixtures.user(), room)) {
      WsClient bob1 = connect(bob);
      bob1.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
      JsonObject joined = bob1.expect("joined");
      assertThat(joined.getInt("memberCount")).isEqualTo(2);
      JsonObject join = alice.awaitType("presence");
      assertThat(join.getString("event")).isEqualTo("join");
      assertThat(join.getString("user")).isEqualTo(bob);
      assertThat(join.getString("room")).isEqualTo(room);

      WsClient bob2 = joined(bob, room);
      bob2.close();
      assertThat(bob1.framesAroundAPing(Duration.ofMillis(200))).as("no own presence").isEmpty();
      assertThat(alice.framesAroundAPing(Duration.ofMillis(200)))
          .as("a second connection of a present user is no presence event")
          .isEmpty();

      bob1.send("{\"type\":\"leave\",\"room\":\"" + room + "\"}");
      bob1.expect("left");
      JsonObject leave = alice.awaitType("presence");
      assertThat(leave.getString("event")).isEqualTo("leave");
      assertThat(leave.getString("user")).isEqualTo(bob);
      bob1.close();
    }
  }

  @Test
  void membersAreDistinctUsersWithTheJoinerIncluded() {
    String room = Fixtures.room();
    String bob = Fixtures.user();
    try (WsClient b1 = joined(bob, room);
        WsClient b2 = joined(bob, room);
        WsClient c = connect(Fixtures.user())) {
      c.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
      JsonObject joined = c.expect("joined");
      assertThat(joined.getInt("memberCount")).isEqualTo(2);
      assertThat(joined.getJsonArray("members")).hasSize(2);
    }
  }

  @Test
  void leaveStopsDeliveryAndLeavingARoomNotJoinedIsNotJoined() {
    String room = Fixtures.room();
    try (WsClient a = joined(Fixtures.user(), room);
        WsClient b = joined(Fixtures.user(), room)) {
      b.send("{\"type\":\"leave\",\"room\":\"" + room + "\"}");
      assertThat(b.expect("left").getString("room")).isEqualTo(room);
      a.send("{\"type\":\"chat\",\"room\":\"" + room + "\",\"message\":\"after\"}");
      a.awaitType("ack");
      b.send("{\"type\":\"leave\",\"room\":\"" + room + "\",\"id\":\"l-1\"}");
      JsonObject error = b.expect("error");
      assertThat(error.getString("code")).isEqualTo("not_joined");
      assertThat(error.getString("id")).isEqualTo("l-1");
    }
  }

  @Test
  void chatAndTypingOutsideAJoinedRoomAreNotJoined() {
    String room = Fixtures.room();
    try (WsClient a = joined(Fixtures.user(), room)) {
      a.send("{\"type\":\"chat\",\"room\":\"elsewhere\",\"message\":\"x\",\"id\":\"c-1\"}");
      JsonObject error = a.expect("error");
      assertThat(error.getString("code")).isEqualTo("not_joined");
      assertThat(error.getString("id")).isEqualTo("c-1");
      a.send("{\"type\":\"typing\",\"room\":\"elsewhere\"}");
      assertThat(a.expect("error").getString("code")).isEqualTo("not_joined");
    }
  }

  @Test
  void joiningAgainAnswersJoinedAgainWithoutPresence() {
    String room = Fixtures.room();
    try (WsClient a = joined(Fixtures.user(), room);
        WsClient b = joined(Fixtures.user(), room)) {
      a.awaitType("presence");
      b.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
      assertThat(b.expect("joined").getInt("memberCount")).isEqualTo(2);
      assertThat(a.framesAroundAPing(Duration.ofMillis(200)))
          .as("a rejoin is no presence event")
          .isEmpty();
    }
  }

  @Test
  void aConnectionMayBeInSeveralRoomsAndThenFramesNeedARoom() {
    String first = Fixtures.room();
    String second = Fixtures.room();
    try (WsClient a = joined(Fixtures.user(), first)) {
      a.send("{\"type\":\"chat\",\"message\":\"only room\"}");
      assertThat(a.awaitType("chat").getString("room")).isEqualTo(first);
      a.send("{\"type\":\"join\",\"room\":\"" + second + "\"}");
      a.awaitType("joined");
      a.send("{\"type\":\"chat\",\"message\":\"which?\",\"id\":\"c-2\"}");
      JsonObject error = a.awaitType("error");
      assertThat(error.getString("code")).isEqualTo("bad_request");
      assertThat(error.getString("id")).isEqualTo("c-2");
      a.send("{\"type\":\"chat\",\"room\":\"" + second + "\",\"message\":\"second\"}");
      assertThat(a.awaitType("chat").getString("room")).isEqualTo(second);
    }
  }

  @Test
  void withNoRoomJoinedFramesWithoutRoomAreBadRequests() {
    try (WsClient a = connect(Fixtures.user())) {
      a.send("{\"type\":\"chat\",\"message\":\"nowhere\"}");
      assertThat(a.expect("error").getString("code")).isEqualTo("bad_request");
      a.send("{\"type\":\"join\"}");
      assertThat(a.expect("error").getString("code")).isEqualTo("bad_request");
    }
  }

  @Test
  void pingIsAnsweredWithPong() {
    try (WsClient a = connect(Fixtures.user())) {
      a.send("{\"type\":\"ping\"}");
      assertThat(a.expect("pong").keySet()).containsExactly("type");
    }
  }

  @Test
  void messageLengthIsCountedInCodePoints() {
    String room = Fixtures.room();
    try (WsClient a = joined(Fixtures.user(), room)) {
      String fourThousandEmoji = "\uD83D\uDE00".repeat(4000);
      a.send("{\"type\":\"chat\",\"message\":\"" + fourThousandEmoji + "\"}");
      assertThat(a.awaitType("chat").getString("message")).isEqualTo(fourThousandEmoji);
      a.send("{\"type\":\"chat\",\"message\":\"" + "x".repeat(4001) + "\"}");
      assertThat(a.awaitType("error").getString("code")).isEqualTo("bad_request");
    }
  }

  @Test
  void aRepeatedChatIdIsAckedWithTheOriginalOffsetAndNotDeliveredAgain() {
    String room = Fixtures.room();
    try (WsClient sender = WsClient.connect(ws("/ws/chat/" + room + "?user=" + Fixtures.user()));
        WsClient member = WsClient.connect(ws("/ws/chat/" + room + "?user=" + Fixtures.user()))) {
      sender.expect("welcome");
      sender.expect("joined");
      member.expect("welcome");
      member.expect("joined");
      sender.send("{\"type\":\"chat\",\"message\":\"hi\",\"id\":\"same\"}");
      long offset = sender.awaitType("ack").getJsonNumber("offset").longValue();
      assertThat(member.awaitType("chat").getJsonNumber("offset").longValue()).isEqualTo(offset);
      sender.send("{\"type\":\"chat\",\"message\":\"hi\",\"id\":\"same\"}");
      JsonObject again = sender.awaitType("ack");
      assertThat(again.getString("id")).isEqualTo("same");
      assertThat(again.getJsonNumber("offset").longValue()).isEqualTo(offset);
      member.expectSilence(Duration.ofMillis(500));
      sender.send("{\"type\":\"chat\",\"message\":\"next\",\"id\":\"other\"}");
      assertThat(sender.awaitType("ack").getJsonNumber("offset").longValue()).isEqualTo(offset + 1);
    }
  }
}
