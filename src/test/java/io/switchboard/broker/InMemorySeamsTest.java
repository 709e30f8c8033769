package io.switchboard.broker;

import java.time.Clock;

/** The seams' contracts against the in-memory implementations. */
class InMemorySeamsTest
    implements PresenceContract,
        UserRatesContract,
        TicketLedgerContract,
        ClusterContract,
        BansContract {

  @Override
  public Bans bans() {
    return new InMemoryBans(Clock.systemUTC());
  }

  @Override
  public Presence presence() {
    return new InMemoryPresence();
  }

  @Override
  public UserRates rates() {
    return new InMemoryUserRates(1, 3, System::nanoTime);
  }

  @Override
  public TicketLedger ledger() {
    return new InMemoryTicketLedger(Clock.systemUTC());
  }

  @Override
  public Cluster cluster(String self) {
    return new InMemoryCluster();
  }
}
