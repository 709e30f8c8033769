package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What every {@link TicketLedger} does, run against each implementation. */
public interface TicketLedgerContract {

  /** A fresh ledger on the system clock. */
  TicketLedger ledger();

  @Test
  default void aTicketIsRedeemedOnceAndOnlyBeforeItExpires() {
    TicketLedger ledger = ledger();
    long later = System.currentTimeMillis() + 30_000;
    assertThat(ledger.redeem("t1", later)).as("first use").isTrue();
    assertThat(ledger.redeem("t1", later)).as("second use").isFalse();
    assertThat(ledger.redeem("t2", later)).as("another ticket").isTrue();
    assertThat(ledger.redeem("t3", System.currentTimeMillis() - 1)).as("expired").isFalse();
    assertThat(ledger.redeem("t3", later)).as("a refused expired use spent nothing").isTrue();
  }
}
