package io.switchboard.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A bounded history of items whose sequence numbers increase by one (offsets, notification ids):
 * adding past the capacity drops the oldest. Not thread-safe; callers lock.
 */
final class Ring<T> {

  private final Object[] items;
  private final ToLongFunction<T> sequence;
  private int start;
  private int size;

  Ring(int capacity, ToLongFunction<T> sequence) {
    this.items = new Object[capacity];
    this.sequence = sequence;
  }

  void add(T item) {
    if (items.length == 0) {
      return;
    }
    if (size < items.length) {
      items[(start + size) % items.length] = item;
      size++;
    } else {
      items[start] = item;
      start = (start + 1) % items.length;
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  @SuppressWarnings("unchecked")
  private T at(int index) {
    return (T) items[(start + index) % items.length];
  }

  /** The sequence number of the oldest item, or {@code fallback} when empty. */
  long firstSequence(long fallback) {
    return size == 0 ? fallback : sequence.applyAsLong(at(0));
  }

  /**
   * Items with a sequence number greater than {@code after}, oldest first, at most {@code limit}.
   */
  List<T> after(long after, int limit) {
    if (size == 0 || limit <= 0) {
      return List.of();
    }
    long first = sequence.applyAsLong(at(0));
    int from = (int) Math.max(0, Math.min(size, after + 1 - first));
    int to = (int) Math.min(size, (long) from + limit);
    List<T> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      out.add(at(i));
    }
    return out;
  }

  /** The last {@code limit} items, oldest first. */
  List<T> last(int limit) {
    int n = Math.max(0, Math.min(limit, size));
    List<T> out = new ArrayList<>(n);
    for (int i = size - n; i < size; i++) {
      out.add(at(i));
    }
    return out;
  }
}
