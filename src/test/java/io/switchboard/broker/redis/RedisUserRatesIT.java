package io.switchboard.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.it.support.RedisProcess;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The per-user check runs on the thread that reads a connection's frames: a stalled Redis costs
 * that thread one timeout, not one per frame.
 */
class RedisUserRatesIT {

  @Test
  void whileRedisStallsFramesPassAfterOneTimeoutAndAreCountedAgainOnceItAnswers() throws Exception {
    try (RedisProcess redis = RedisProcess.start(List.of("--enable-debug-command", "yes"));
        RedisStore store = new RedisStore(URI.create(redis.url()))) {
      RedisUserRates rates = new RedisUserRates(store, "rates:", 1, 3, Clock.systemUTC());
      assertThat(rates.take("bob")).isZero();

      Thread sleeper = redis.stall(6);
      long start = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        assertThat(rates.take("bob")).as("a frame passes while Redis cannot count it").isZero();
      }
      Duration spent = Duration.ofNanos(System.nanoTime() - start);
      assertThat(spent)
          .as("one timeout (2 s), not one per frame (6 s)")
          .isLessThan(Duration.ofMillis(RedisStore.TIMEOUT_MS + 1500));
      sleeper.join();

      // Redis answers again: soon after, a burst is counted again (a fresh user each attempt).
      AtomicInteger attempt = new AtomicInteger();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                String user = "amy-" + attempt.incrementAndGet();
                for (int i = 0; i < 3; i++) {
                  rates.take(user);
                }
                return rates.take(user) > 0; // the fourth frame of a burst of three waits
              });
    }
  }
}
