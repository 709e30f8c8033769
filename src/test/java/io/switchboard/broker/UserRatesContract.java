package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What every {@link UserRates} does, run against each implementation. */
public interface UserRatesContract {

  /** Fresh rates: one token per second, a burst of three. */
  UserRates rates();

  @Test
  default void aUserMaySendItsBurstThenWaitsForTheNextToken() {
    UserRates rates = rates();
    for (int i = 0; i < 3; i++) {
      assertThat(rates.take("bob")).as("token %d of the burst", i + 1).isZero();
    }
    assertThat(rates.take("bob")).as("milliseconds until the next token").isBetween(1L, 1000L);
  }

  @Test
  default void usersHaveBucketsOfTheirOwn() {
    UserRates rates = rates();
    for (int i = 0; i < 3; i++) {
      rates.take("bob");
    }
    assertThat(rates.take("bob")).isPositive();
    assertThat(rates.take("amy")).as("another user is not held back").isZero();
  }
}
