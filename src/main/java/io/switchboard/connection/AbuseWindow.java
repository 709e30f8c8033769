package io.switchboard.connection;

/**
 * Counts rate-limited answers in a sliding window: reports abuse once more than {@code limit} of
 * them fall within {@code windowNanos}. Not thread-safe (one connection's frames are handled one at
 * a time).
 */
final class AbuseWindow {

  private final long[] times;
  private final long windowNanos;
  private long count;

  AbuseWindow(int limit, long windowNanos) {
    this.times = new long[limit + 1];
    this.windowNanos = windowNanos;
  }

  /** Records one rate-limited answer at {@code now}; true when the limit is exceeded. */
  boolean record(long now) {
    times[(int) (count % times.length)] = now;
    count++;
    if (count < times.length) {
      return false;
    }
    long oldestOfLast = times[(int) (count % times.length)];
    return now - oldestOfLast <= windowNanos;
  }
}
