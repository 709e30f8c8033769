package io.switchboard.security.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A credential's timers, on a real scheduler: warned ahead, ended after the skew, refreshed. */
class CredentialExpiryTest {

  private static final Duration SKEW = Duration.ofMillis(300);
  private static final Duration LEAD = Duration.ofMillis(400);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final CredentialExpiry.Holder holder =
      new CredentialExpiry.Holder() {
        @Override
        public void expiring(Instant exp) {
          events.add("expiring " + exp.toEpochMilli());
        }

        @Override
        public void expired() {
          events.add("expired");
        }
      };

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private CredentialExpiry.Watch watch(Instant exp) {
    CredentialExpiry.Watch watch =
        new CredentialExpiry.Watch(scheduler, holder, SKEW, LEAD, Clock.systemUTC());
    watch.arm(exp);
    return watch;
  }

  @Test
  void itWarnsAheadAndEndsOnlyAfterTheSkew() {
    Instant exp = Instant.now().plusMillis(600);
    watch(exp);
    await().atMost(Duration.ofSeconds(3)).until(() -> events.contains("expired"));
    long endedAt = System.currentTimeMillis();
    assertThat(events).containsExactly("expiring " + exp.toEpochMilli(), "expired");
    assertThat(endedAt).isGreaterThanOrEqualTo(exp.plus(SKEW).toEpochMilli());
  }

  @Test
  void aPastExpWithinTheSkewWarnsAtOnceAndStillWaitsOutTheSkew() {
    Instant exp = Instant.now().minusMillis(100);
    watch(exp);
    await().atMost(Duration.ofSeconds(1)).until(() -> !events.isEmpty());
    assertThat(events).containsExactly("expiring " + exp.toEpochMilli());
    await().atMost(Duration.ofSeconds(2)).until(() -> events.contains("expired"));
    assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(exp.plus(SKEW).toEpochMilli());
  }

  @Test
  void aRefreshMovesTheEndAndACancelStopsEverything() {
    CredentialExpiry.Watch watch = watch(Instant.now().plusMillis(500));
    Instant later = Instant.now().plusSeconds(3600);
    assertThat(watch.refresh(later)).isTrue();
    assertThat(watch.expires()).isEqualTo(later);
    CredentialExpiry.Watch cancelled = watch(Instant.now().plusMillis(100));
    cancelled.cancel();
    assertThat(cancelled.refresh(later)).as("nothing to refresh once ended").isFalse();
    CredentialExpiry.Watch marker = watch(Instant.now().plusMillis(200));
    await().atMost(Duration.ofSeconds(3)).until(() -> events.contains("expired"));
    assertThat(events.stream().filter("expired"::equals)).as("only the marker ended").hasSize(1);
    assertThat(marker.refresh(later)).as("too late: it ended").isFalse();
  }
}
