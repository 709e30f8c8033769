package io.switchboard.platform;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code burst} tokens, refilled at {@code perSecond}. Thread-safe.
 *
 * <p>{@link #delayMillis()} and {@link #take()} are separate so that a frame can be checked against
 * several buckets and charged only when it passes all of them.
 */
public final class TokenBucket {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double perNano;
  private final double burst;
  private final LongSupplier nanoTime;
  private double tokens;
  private long refilledAt;

  public TokenBucket(double perSecond, int burst, LongSupplier nanoTime) {
    this.perNano = perSecond / NANOS_PER_SECOND;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.refilledAt = nanoTime.getAsLong();
  }

  /** 0 when a token is available now, else the milliseconds until one will be (at least 1). */
  public synchronized long delayMillis() {
    refill();
    if (tokens >= 1) {
      return 0;
    }
    double nanos = (1 - tokens) / perNano;
    return Math.max(1, (long) Math.ceil(nanos / 1_000_000d));
  }

  /** Takes one token (the caller has checked {@link #delayMillis()}). */
  public synchronized void take() {
    refill();
    tokens = Math.max(0, tokens - 1);
  }

  /** Checks and takes in one step: 0 when a token was taken, else the wait in milliseconds. */
  public synchronized long tryTake() {
    return tryTake(1);
  }

  /**
   * Takes {@code amount} tokens (bytes, for a byte budget) when there are that many: 0 then, else
   * the milliseconds until there will be (at least 1). An amount above the burst never passes.
   */
  public synchronized long tryTake(double amount) {
    refill();
    if (tokens >= amount) {
      tokens -= amount;
      return 0;
    }
    double nanos = (amount - tokens) / perNano;
    return Math.max(1, (long) Math.ceil(nanos / 1_000_000d));
  }

  /** Whether the bucket has refilled completely (it then behaves like a new one). */
  public synchronized boolean isFull() {
    refill();
    return tokens >= burst;
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    long elapsed = now - refilledAt;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * perNano);
      refilledAt = now;
    }
  }
}
