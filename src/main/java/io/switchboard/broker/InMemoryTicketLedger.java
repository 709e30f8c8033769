package io.switchboard.broker;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/** {@link TicketLedger} of one node; expired entries are swept. */
public final class InMemoryTicketLedger implements TicketLedger {

  private final Clock clock;
  private final ConcurrentHashMap<String, Long> redeemed = new ConcurrentHashMap<>();

  public InMemoryTicketLedger(Clock clock) {
    this.clock = clock;
  }

  @Override
  public boolean redeem(String ticketId, long expiresAtMillis) {
    return expiresAtMillis > clock.millis()
        && redeemed.putIfAbsent(ticketId, expiresAtMillis) == null;
  }

  /** Forgets tickets past their expiry (they cannot be redeemed anyway). */
  public void sweep() {
    long now = clock.millis();
    redeemed.values().removeIf(expiry -> expiry <= now);
  }
}
