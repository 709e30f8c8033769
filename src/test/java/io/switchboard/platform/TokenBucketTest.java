package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final TokenBucket bucket = new TokenBucket(10, 20, nanos::get);

  private void advanceMillis(long millis) {
    nanos.addAndGet(millis * 1_000_000L);
  }

  @Test
  void aFullBucketAllowsTheBurstThenSaysHowLongToWait() {
    for (int i = 0; i < 20; i++) {
      assertThat(bucket.tryTake()).as("frame %d", i).isZero();
    }
    assertThat(bucket.tryTake()).isEqualTo(100);
    advanceMillis(40);
    assertThat(bucket.delayMillis()).isEqualTo(60);
  }

  @Test
  void tokensRefillAtTheRateUpToTheBurst() {
    for (int i = 0; i < 20; i++) {
      bucket.tryTake();
    }
    advanceMillis(100);
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isPositive();
    advanceMillis(60_000);
    for (int i = 0; i < 20; i++) {
      assertThat(bucket.tryTake()).isZero();
    }
    assertThat(bucket.tryTake()).isPositive();
  }

  @Test
  void checkingDoesNotSpendAndTakingDoes() {
    for (int i = 0; i < 100; i++) {
      assertThat(bucket.delayMillis()).isZero();
    }
    for (int i = 0; i < 20; i++) {
      bucket.take();
    }
    assertThat(bucket.delayMillis()).isPositive();
  }
}
