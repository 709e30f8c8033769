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

  @Test
  void answersLeaveTheWindowAsItSlides() {
    AbuseWindow window = new AbuseWindow(60, 10 * SECOND);
    for (int i = 0; i < 60; i++) {
      assertThat(window.record(0)).isFalse();
    }
    assertThat(window.record(11 * SECOND)).as("the first 60 have left the window").isFalse();
    for (int i = 0; i < 59; i++) {
      assertThat(window.record(12 * SECOND)).isFalse();
    }
    assertThat(window.record(13 * SECOND)).as("61 within 2 s").isTrue();
  }

  @Test
  void aHugeLimitCostsNoMoreMemoryThanASmallOne() {
    // 500 connections with a burst of a million: a window sized to its limit would need 12 GB.
    java.util.List<AbuseWindow> windows = new java.util.ArrayList<>();
    for (int i = 0; i < 500; i++) {
      AbuseWindow window = new AbuseWindow(3_000_000, 10 * SECOND);
      assertThat(window.record(i)).isFalse();
      windows.add(window);
    }
    assertThat(windows).hasSize(500);
  }

  @Test
  void negativeClockReadingsWork() {
    AbuseWindow window = new AbuseWindow(2, 10 * SECOND);
    long start = -5 * SECOND;
    assertThat(window.record(start)).isFalse();
    assertThat(window.record(start + SECOND)).isFalse();
    assertThat(window.record(start + 2 * SECOND)).isTrue();
  }
}
