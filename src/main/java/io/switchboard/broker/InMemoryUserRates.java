package io.switchboard.broker;

import io.switchboard.platform.TokenBucket;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * {@link UserRates} of one node. Buckets of users who have been quiet long enough to be full again
 * are forgotten by {@link #sweep()}, so the map is bounded by the users active recently.
 */
public final class InMemoryUserRates implements UserRates {

  private final double perSecond;
  private final int burst;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  public InMemoryUserRates(double perSecond, int burst, LongSupplier nanoTime) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  @Override
  public long take(String userId) {
    return buckets
        .computeIfAbsent(userId, id -> new TokenBucket(perSecond, burst, nanoTime))
        .tryTake();
  }

  /** Forgets buckets that are full: they behave exactly like new ones. */
  public void sweep() {
    buckets.values().removeIf(TokenBucket::isFull);
  }

  int size() {
    return buckets.size();
  }
}
