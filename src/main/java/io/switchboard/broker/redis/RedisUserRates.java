package io.switchboard.broker.redis;

import io.switchboard.broker.BrokerUnavailableException;
import io.switchboard.broker.UserRates;
import java.time.Clock;
import java.util.List;

/**
 * {@link UserRates} over Redis: one token bucket per user for the whole cluster, updated by one
 * script per frame. If Redis cannot be reached, frames pass (the per-connection bucket still
 * applies); refusing every user during an outage would turn it into a denial of service.
 */
public final class RedisUserRates implements UserRates {

  private final RedisStore store;
  private final Keys keys;
  private final String perSecond;
  private final String burst;
  private final Clock clock;

  public RedisUserRates(RedisStore store, String keyPrefix, int perSecond, int burst, Clock clock) {
    this.store = store;
    this.keys = new Keys(keyPrefix);
    this.perSecond = Integer.toString(perSecond);
    this.burst = Integer.toString(burst);
    this.clock = clock;
  }

  @Override
  public long take(String userId) {
    try {
      return store.call(
          j ->
              (Long)
                  store.eval(
                      j,
                      Scripts.TAKE_TOKEN,
                      List.of(keys.rateBucket(userId)),
                      List.of(perSecond, burst, Long.toString(clock.millis()))));
    } catch (BrokerUnavailableException e) {
      return 0;
    }
  }
}
