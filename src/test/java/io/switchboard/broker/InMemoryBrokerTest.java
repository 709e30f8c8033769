package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;

class InMemoryBrokerTest extends BrokerContract {

  @Override
  protected Broker newBroker(HistoryLimits limits) {
    return new InMemoryBroker(limits, Clock.systemUTC());
  }

  @Test
  void allRoomsTogetherAreBoundedInBytesIdleRoomsGoingFirst() {
    InMemoryBroker small =
        new InMemoryBroker(
            new HistoryLimits(100, 1 << 20, 200_000, 10, 1 << 20, 100, 600), Clock.systemUTC());
    small.subscribe("busy", new Recorder());
    for (int room = 0; room < 40; room++) {
      for (int i = 0; i < 5; i++) {
        small.publish(new ChatDraft("idle" + room, "i", "a", "a", "x".repeat(2000)));
      }
    }
    for (int i = 0; i < 60; i++) {
      small.publish(new ChatDraft("busy", "b", "a", "a", "x".repeat(2000)));
    }
    assertThat(small.historyBytes()).isLessThanOrEqualTo(200_000);
    assertThat(small.tail("busy", 100).messages())
        .as("the subscribed room kept its history while idle rooms were forgotten")
        .hasSizeGreaterThan(20);
    assertThat(small.tail("idle0", 100).latestOffset()).as("the oldest idle room is gone").isZero();
    for (int i = 0; i < 100; i++) {
      small.publish(new ChatDraft("busy", "b", "a", "a", "x".repeat(2000)));
    }
    assertThat(small.historyBytes())
        .as("when no idle room is left, the written room gives up its oldest")
        .isLessThanOrEqualTo(200_000);
    assertThat(small.tail("busy", 1).latestOffset()).isEqualTo(160);
  }

  @Test
  void readsOfRoomsThatNeverExistedKeepNothing() {
    InMemoryBroker fresh = new InMemoryBroker(HistoryLimits.counts(10, 10, 100), Clock.systemUTC());
    for (int i = 0; i < 1000; i++) {
      fresh.read("nobody-" + i, 0, 10);
      fresh.tail("nobody-" + i, 10);
    }
    assertThat(fresh.knownRooms()).isZero();
  }

  @Test
  void idleRoomsBeyondTheLimitAreForgottenAndComeBackWithANewEpoch() {
    InMemoryBroker small = new InMemoryBroker(HistoryLimits.counts(10, 10, 3), Clock.systemUTC());
    small.publish(new ChatDraft("first", "1", "a", "a", "x"));
    String epoch = small.tail("first", 0).epoch();
    small.subscribe("kept", new Recorder());
    small.publish(new ChatDraft("kept", "1", "a", "a", "x"));
    for (int i = 0; i < 5; i++) {
      small.publish(new ChatDraft("room" + i, "1", "a", "a", "x"));
    }
    RoomLog again = small.tail("first", 10);
    assertThat(again.epoch()).isNotEqualTo(epoch);
    assertThat(again.latestOffset()).isZero();
    assertThat(small.tail("kept", 10).latestOffset())
        .as("a subscribed room is never evicted")
        .isEqualTo(1);
  }
}
