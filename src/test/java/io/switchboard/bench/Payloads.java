package io.switchboard.bench;

/**
 * The benchmark's message: {@code ~<send time in nanoseconds>~} padded with letters to a fixed
 * size, so that every system carries the same bytes and the receiver finds the send time without
 * parsing the surrounding protocol.
 */
final class Payloads {

  /** Characters in every message (the text the sender sends, not counting the protocol). */
  static final int SIZE = 64;

  private static final String PADDING = "x".repeat(SIZE);

  private Payloads() {}

  static String stamped() {
    String stamp = "~" + System.nanoTime() + "~";
    return stamp + PADDING.substring(0, Math.max(0, SIZE - stamp.length()));
  }

  /** The send time in a received payload (bytes from its position to its limit), or -1. */
  static long sentAt(java.nio.ByteBuffer payload) {
    int end = payload.limit();
    int start = -1;
    for (int i = payload.position(); i < end; i++) {
      if (payload.get(i) == '~') {
        start = i + 1;
        break;
      }
    }
    if (start < 0) {
      return -1;
    }
    long value = 0;
    for (int i = start; i < end; i++) {
      byte b = payload.get(i);
      if (b == '~') {
        return i > start ? value : -1;
      }
      if (b < '0' || b > '9') {
        return -1;
      }
      value = value * 10 + (b - '0');
    }
    return -1;
  }
}
