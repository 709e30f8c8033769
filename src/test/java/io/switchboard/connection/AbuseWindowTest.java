package io.switchboard.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AbuseWindowTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void moreThanTheLimitWithinTheWindowIsAbuse() {
    AbuseWindow window = new AbuseWindow(60, 10 * SECOND);
    for (int i = 0; i < 60; i++) {
      assertThat(window.record(i * SECOND / 10)).as("answer %d", i).isFalse();
    }
    assertThat(window.record(6 * SECOND)).isTrue();
  }

  @Test
  void theSameCountSpreadOverMoreThanTheWindowIsNot() {
    AbuseWindow window = new AbuseWindow(60, 10 * SECOND);
    for (int i = 0; i < 200; i++) {
      assertThat(window.record(i * SECOND / 5)).as("answer %d", i).isFalse();
    }
  }
}
