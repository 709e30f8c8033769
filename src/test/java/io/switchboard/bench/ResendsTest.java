package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ResendsTest {

  private final Targets.Resends resends = new Targets.Resends();
  private final List<String> sent = new CopyOnWriteArrayList<>();

  @Test
  void aMessageTheServerCouldNotStoreIsSentAgainWithTheSameId() {
    String frame = resends.frame("r", "hello");
    assertThat(frame).contains("\"id\":\"b1\"");

    resends.onFrame(
        sent::add,
        "{\"type\":\"error\",\"code\":\"unavailable\",\"message\":\"x\",\"id\":\"b1\","
            + "\"retryAfterMs\":50}");

    await().atMost(Duration.ofSeconds(2)).until(() -> sent.size() == 1);
    assertThat(sent).containsExactly(frame);
  }

  @Test
  void aRateLimitedMessageIsSentAgainUntilAcked() {
    String frame = resends.frame("r", "hello");
    String limited =
        "{\"type\":\"error\",\"code\":\"rate_limited\",\"message\":\"x\",\"id\":\"b1\","
            + "\"retryAfterMs\":10}";
    resends.onFrame(sent::add, limited);
    await().atMost(Duration.ofSeconds(2)).until(() -> sent.size() == 1);
    resends.onFrame(sent::add, "{\"type\":\"ack\",\"id\":\"b1\",\"room\":\"r\",\"offset\":3}");
    resends.onFrame(sent::add, limited); // a late repeat of the refusal: the message is acked

    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> sent.size() == 1);
    assertThat(sent).containsExactly(frame);
  }

  @Test
  void aMessageRefusedForGoodIsNotSentAgain() {
    resends.frame("r", "hello");
    resends.onFrame(
        sent::add, "{\"type\":\"error\",\"code\":\"not_joined\",\"message\":\"x\",\"id\":\"b1\"}");
    resends.onFrame(
        sent::add,
        "{\"type\":\"error\",\"code\":\"unavailable\",\"message\":\"x\",\"id\":\"b1\","
            + "\"retryAfterMs\":1}");

    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(sent::isEmpty);
  }
}
