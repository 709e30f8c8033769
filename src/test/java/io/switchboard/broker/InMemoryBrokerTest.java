package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;

class InMemoryBrokerTest extends BrokerContract {

  @Override
  protected Broker newBroker(int historySize, int notificationHistory) {
    return new InMemoryBroker(historySize, notificationHistory, 100, Clock.systemUTC());
  }

  @Test
  void idleRoomsBeyondTheLimitAreForgottenAndComeBackWithANewEpoch() {
    InMemoryBroker small = new InMemoryBroker(10, 10, 3, Clock.systemUTC());
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
