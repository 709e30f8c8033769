package io.switchboard.chat.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.ChatDraft;
import io.switchboard.broker.HistoryLimits;
import io.switchboard.broker.InMemoryBroker;
import io.switchboard.broker.RoomLog;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecoveryTest {

  private final InMemoryBroker broker =
      new InMemoryBroker(HistoryLimits.counts(100, 10, 100), Clock.systemUTC());
  private RoomLog head;

  @BeforeEach
  void publish120() {
    for (int i = 0; i < 120; i++) {
      broker.publish(new ChatDraft("r", null, "a", "a", "m" + i));
    }
    head = broker.open("r"); // offsets 21 to 120 kept
  }

  @Test
  void withoutSinceOrEpochTheReplayStartsBeforeTheLastMessagesWithNoRecoveredFlag() {
    Recovery.Replay replay = Recovery.plan(head, null, null, null);
    assertThat(replay.recovered()).isNull();
    assertThat(replay.after()).as("the last 50").isEqualTo(70);
    assertThat(Recovery.plan(head, null, null, 0).after()).as("history 0").isEqualTo(120);
    assertThat(Recovery.plan(head, null, null, 500).after())
        .as("no further back than history holds")
        .isEqualTo(20);
  }

  @Test
  void sinceInsideHistoryReplaysEverythingAfterIt() {
    Recovery.Replay replay = Recovery.plan(head, 20L, head.epoch(), 5);
    assertThat(replay.recovered()).isTrue();
    assertThat(replay.after()).isEqualTo(20);
  }

  @Test
  void sinceOlderThanHistoryIsNotRecovered() {
    Recovery.Replay replay = Recovery.plan(head, 19L, head.epoch(), 5);
    assertThat(replay.recovered()).isFalse();
    assertThat(replay.after()).as("the last 5").isEqualTo(115);
  }

  @Test
  void sinceBeyondTheLatestOrAnotherEpochIsNotRecovered() {
    assertThat(Recovery.plan(head, 121L, head.epoch(), 1).recovered()).isFalse();
    assertThat(Recovery.plan(head, 100L, "old", 1).recovered()).isFalse();
    assertThat(Recovery.plan(head, null, "old", 1).recovered()).isFalse();
    assertThat(Recovery.plan(head, null, head.epoch(), 1).recovered()).isTrue();
  }

  @Test
  void sinceAtTheLatestReplaysNothing() {
    Recovery.Replay replay = Recovery.plan(head, 120L, null, 5);
    assertThat(replay.recovered()).isTrue();
    assertThat(replay.after()).isEqualTo(120);
  }
}
