package io.switchboard.connection;

/**
 * Counts rate-limited answers in a sliding window: reports abuse once more than {@code limit} of
 * them fall within {@code windowNanos}. Not thread-safe (one connection's frames are handled one at
 * a time).
 *
 * <p>The window is kept as {@value #BUCKETS} counters of a fiftieth of it each, allocated on the
 * first rate-limited answer: most connections never get one, and the memory does not grow with the
 * limit (a ring of timestamps sized to the limit cost 24 MB per connection with a burst of a
 * million). The window is exact to one bucket.
 */
final class AbuseWindow {

  private static final int BUCKETS = 50;

  private final int limit;
  private final long bucketNanos;
  private int[] counts;
  private long head;
  private long total;

  AbuseWindow(int limit, long windowNanos) {
    this.limit = limit;
    this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
  }

  /** Records one rate-limited answer at {@code now}; true when the limit is exceeded. */
  boolean record(long now) {
    long bucket = Math.floorDiv(now, bucketNanos);
    if (counts == null) {
      counts = new int[BUCKETS];
      head = bucket;
    } else if (bucket > head) {
      long expired = Math.min(bucket - head, BUCKETS);
      for (long b = head + 1; b <= head + expired; b++) {
        int slot = (int) Math.floorMod(b, BUCKETS);
        total -= counts[slot];
        counts[slot] = 0;
      }
      head = bucket;
    }
    // An answer timed before the head (a clock read a moment earlier) counts in the head's bucket.
    counts[(int) Math.floorMod(head, BUCKETS)]++;
    total++;
    return total > limit;
  }
}
