package io.switchboard.broker.redis;

import io.switchboard.broker.TicketLedger;
import java.time.Clock;
import redis.clients.jedis.params.SetParams;

/**
 * {@link TicketLedger} over Redis: SET NX with the ticket's expiry, so any node can redeem it once.
 */
public final class RedisTicketLedger implements TicketLedger {

  private final RedisStore store;
  private final String prefix;
  private final Clock clock;

  public RedisTicketLedger(RedisStore store, String keyPrefix, Clock clock) {
    this.store = store;
    this.prefix = keyPrefix + "ticket:";
    this.clock = clock;
  }

  @Override
  public boolean redeem(String ticketId, long expiresAtMillis) {
    if (expiresAtMillis <= clock.millis()) {
      return false;
    }
    return store.call(
        j ->
            "OK"
                .equals(
                    j.set(
                        prefix + ticketId, "1", SetParams.setParams().nx().pxAt(expiresAtMillis))));
  }
}
