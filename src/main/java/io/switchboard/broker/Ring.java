package io.switchboard.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * A bounded history of items whose sequence numbers increase by one (offsets, notification ids):
 * adding past the capacity, or past the byte bound, drops the oldest (the newest item is always
 * kept). Not thread-safe; callers lock.
 */
final class Ring<T> {

  private final Object[] items;
  private final ToLongFunction<T> sequence;
  private final ToIntFunction<T> size;
  private final long maxBytes;
  private int start;
  private int count;
  private long bytes;

  Ring(int capacity, ToLongFunction<T> sequence) {
    this(capacity, Long.MAX_VALUE, sequence, item -> 0);
  }

  /**
   * @param maxBytes the most {@code size} the kept items may add up to
   * @param size an item's size in bytes (what it costs to keep)
   */
  Ring(int capacity, long maxBytes, ToLongFunction<T> sequence, ToIntFunction<T> size) {
    this.items = new Object[capacity];
    this.sequence = sequence;
    this.size = size;
    this.maxBytes = maxBytes;
  }

  /** Adds an item; returns the change in kept bytes (negative when more was dropped). */
  long add(T item) {
    if (items.length == 0) {
      return 0;
    }
    long before = bytes;
    if (count == items.length) {
      dropOldest();
    }
    items[(start + count) % items.length] = item;
    count++;
    bytes += size.applyAsInt(item);
    while (bytes > maxBytes && count > 1) {
      dropOldest();
    }
    return bytes - before;
  }

  /** Drops the oldest item; returns the bytes freed (0 when empty). */
  long dropOldest() {
    if (count == 0) {
      return 0;
    }
    @SuppressWarnings("unchecked")
    T oldest = (T) items[start];
    items[start] = null;
    start = (start + 1) % items.length;
    count--;
    long freed = size.applyAsInt(oldest);
    bytes -= freed;
    return freed;
  }

  boolean isEmpty() {
    return count == 0;
  }

  int size() {
    return count;
  }

  /** The bytes the kept items add up to. */
  long bytes() {
    return bytes;
  }

  @SuppressWarnings("unchecked")
  private T at(int index) {
    return (T) items[(start + index) % items.length];
  }

  /** The sequence number of the oldest item, or {@code fallback} when empty. */
  long firstSequence(long fallback) {
    return count == 0 ? fallback : sequence.applyAsLong(at(0));
  }

  /**
   * Items with a sequence number greater than {@code after}, oldest first: at most {@code limit},
   * and no more than {@code maxBytes} of them (but at least one, when there is one).
   */
  List<T> after(long after, int limit, long maxBytes) {
    if (count == 0 || limit <= 0) {
      return List.of();
    }
    long first = sequence.applyAsLong(at(0));
    int from = (int) Math.max(0, Math.min(count, after + 1 - first));
    int to = (int) Math.min(count, (long) from + limit);
    List<T> out = new ArrayList<>(Math.min(to - from, 64));
    long taken = 0;
    for (int i = from; i < to; i++) {
      T item = at(i);
      taken += size.applyAsInt(item);
      if (taken > maxBytes && !out.isEmpty()) {
        break;
      }
      out.add(item);
    }
    return out;
  }

  List<T> after(long after, int limit) {
    return after(after, limit, Long.MAX_VALUE);
  }

  /**
   * The last {@code limit} items, oldest first, no more than {@code maxBytes} of them (the newest
   * first: at least the newest one, when there is one).
   */
  List<T> last(int limit, long maxBytes) {
    int n = Math.max(0, Math.min(limit, count));
    int from = count;
    long taken = 0;
    while (from > count - n) {
      taken += size.applyAsInt(at(from - 1));
      if (taken > maxBytes && from < count) {
        break;
      }
      from--;
    }
    List<T> out = new ArrayList<>(count - from);
    for (int i = from; i < count; i++) {
      out.add(at(i));
    }
    return out;
  }

  List<T> last(int limit) {
    return last(limit, Long.MAX_VALUE);
  }
}
