package io.switchboard.broker.redis;

import io.switchboard.broker.BrokerUnavailableException;
import io.switchboard.broker.UserRates;
import java.time.Clock;
import java.util.List;

/**
 * {@link UserRates} over Redis: one token bucket per user for the whole cluster, updated by one
 * script per frame. If Redis cannot be reached, frames pass (the per-connection bucket still
 * applies); refusing every user during an outage would turn it into a denial of service.
 *
 * <p>The check runs on the thread that reads the connection's frames, so after a failure (a timeout
 * of a stalled Redis costs that thread 2 s) frames pass without asking Redis for {@link
 * #SKIP_MILLIS}: one read thread waits for a sick Redis once in that time, not once per frame.
 */
public final class RedisUserRates implements UserRates {

  private final RedisStore store;
  private final Keys keys;
  private final String perSecond;
  private final String burst;
  private final Clock clock;

  /** How long frames pass unchecked after Redis failed to answer a check. */
  static final long SKIP_MILLIS = 1000;

  /** Until then (nanoTime) Redis is not asked; 0: ask. */
  private volatile long skipUntil;

  public RedisUserRates(RedisStore store, String keyPrefix, int perSecond, int burst, Clock clock) {
    this.store = store;
    this.keys = new Keys(keyPrefix);
    this.perSecond = Integer.toString(perSecond);
    this.burst = Integer.toString(burst);
    this.clock = clock;
  }

  @Override
  public long take(String userId) {
    long skip = skipUntil;
    if (skip != 0 && System.nanoTime() - skip < 0) {
      return 0;
    }
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
      skipUntil = System.nanoTime() + SKIP_MILLIS * 1_000_000;
      return 0;
    }
  }
}
