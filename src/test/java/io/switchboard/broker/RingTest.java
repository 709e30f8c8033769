package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RingTest {

  private static Ring<Long> ringOf(int capacity, long upTo) {
    Ring<Long> ring = new Ring<>(capacity, Long::longValue);
    for (long i = 1; i <= upTo; i++) {
      ring.add(i);
    }
    return ring;
  }

  @Test
  void keepsTheLastItemsUpToItsCapacity() {
    Ring<Long> ring = ringOf(5, 12);
    assertThat(ring.last(100)).containsExactly(8L, 9L, 10L, 11L, 12L);
    assertThat(ring.last(2)).containsExactly(11L, 12L);
    assertThat(ring.firstSequence(-1)).isEqualTo(8);
  }

  @Test
  void findsItemsAfterASequenceNumberByArithmetic() {
    Ring<Long> ring = ringOf(5, 12);
    assertThat(ring.after(9, 100)).containsExactly(10L, 11L, 12L);
    assertThat(ring.after(9, 2)).containsExactly(10L, 11L);
    assertThat(ring.after(0, 2)).containsExactly(8L, 9L);
    assertThat(ring.after(12, 10)).isEmpty();
    assertThat(ring.after(Long.MAX_VALUE, 10)).isEmpty();
  }

  @Test
  void anEmptyOrZeroCapacityRingHoldsNothing() {
    assertThat(ringOf(0, 3).last(3)).isEmpty();
    assertThat(ringOf(0, 3).after(0, 3)).isEmpty();
    assertThat(ringOf(3, 0).firstSequence(42)).isEqualTo(42);
  }
}
