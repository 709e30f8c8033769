package io.switchboard.broker;

/**
 * Remembers which one-use connect tickets were redeemed, cluster-wide, until they expire.
 *
 * <p>Implementations: {@link InMemoryTicketLedger} (one node) and the Redis one.
 */
public interface TicketLedger {

  /** True the first time a ticket id is redeemed before its expiry; false ever after. */
  boolean redeem(String ticketId, long expiresAtMillis);
}
