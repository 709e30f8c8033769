package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What every {@link Bans} does, run against each implementation. */
public interface BansContract {

  /** Fresh bans on the system clock. */
  Bans bans();

  @Test
  default void aBanHoldsForItsRoomAndUserUntilItEnds() {
    Bans bans = bans();
    long now = System.currentTimeMillis();
    bans.ban("lobby", "mallory", now + 600);
    assertThat(bans.isBanned("lobby", "mallory")).isTrue();
    assertThat(bans.isBanned("lobby", "alice")).as("another user").isFalse();
    assertThat(bans.isBanned("other", "mallory")).as("another room").isFalse();
    assertThat(bans.isBanned("lobby", "mallory:x")).as("no prefix match").isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> !bans.isBanned("lobby", "mallory"));
  }

  @Test
  default void aLaterBanReplacesTheEndAndOneInThePastLifts() {
    Bans bans = bans();
    long now = System.currentTimeMillis();
    bans.ban("r", "u", now + 60_000);
    bans.ban("r", "u", now - 1);
    assertThat(bans.isBanned("r", "u")).as("lifted").isFalse();
    bans.ban("r", "u:with:colons", now + 60_000);
    assertThat(bans.isBanned("r", "u:with:colons")).isTrue();
  }
}
