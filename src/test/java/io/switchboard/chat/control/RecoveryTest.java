package io.switchboard.chat.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.ChatDraft;
import io.switchboard.broker.ChatMessage;
import io.switchboard.broker.InMemoryBroker;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecoveryTest {

  private static final int HISTORY_SIZE = 100;
  private final InMemoryBroker broker =
      new InMemoryBroker(HISTORY_SIZE, 10, 100, Clock.systemUTC());
  private String epoch;

  @BeforeEach
  void publish120() {
    for (int i = 0; i < 120; i++) {
      broker.publish(new ChatDraft("r", null, "a", "a", "m" + i));
    }
    epoch = broker.tail("r", 0).epoch();
  }

  private static List<Long> offsets(Recovery.Replay replay) {
    return replay.log().messages().stream().map(ChatMessage::offset).toList();
  }

  @Test
  void withoutSinceOrEpochTheLastMessagesAndNoRecoveredFlag() {
    Recovery.Replay replay = Recovery.plan(broker, "r", null, null, null, HISTORY_SIZE);
    assertThat(replay.recovered()).isNull();
    assertThat(offsets(replay)).hasSize(50).startsWith(71L).endsWith(120L);
    assertThat(offsets(Recovery.plan(broker, "r", null, null, 0, HISTORY_SIZE))).isEmpty();
  }

  @Test
  void sinceInsideHistoryReplaysEverythingAfterIt() {
    Recovery.Replay replay = Recovery.plan(broker, "r", 20L, epoch, 5, HISTORY_SIZE);
    assertThat(replay.recovered()).isTrue();
    assertThat(offsets(replay)).hasSize(100).startsWith(21L).endsWith(120L);
  }

  @Test
  void sinceOlderThanHistoryIsNotRecovered() {
    Recovery.Replay replay = Recovery.plan(broker, "r", 19L, epoch, 5, HISTORY_SIZE);
    assertThat(replay.recovered()).isFalse();
    assertThat(offsets(replay)).containsExactly(116L, 117L, 118L, 119L, 120L);
  }

  @Test
  void sinceBeyondTheLatestOrAnotherEpochIsNotRecovered() {
    assertThat(Recovery.plan(broker, "r", 121L, epoch, 1, HISTORY_SIZE).recovered()).isFalse();
    assertThat(Recovery.plan(broker, "r", 100L, "old", 1, HISTORY_SIZE).recovered()).isFalse();
    assertThat(Recovery.plan(broker, "r", null, "old", 1, HISTORY_SIZE).recovered()).isFalse();
    assertThat(Recovery.plan(broker, "r", null, epoch, 1, HISTORY_SIZE).recovered()).isTrue();
  }

  @Test
  void sinceAtTheLatestReplaysNothing() {
    Recovery.Replay replay = Recovery.plan(broker, "r", 120L, null, 5, HISTORY_SIZE);
    assertThat(replay.recovered()).isTrue();
    assertThat(offsets(replay)).isEmpty();
  }
}
