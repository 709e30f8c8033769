package io.switchboard.broker;

/**
 * How much history a broker keeps, in messages and in bytes: per room, for all rooms together (in
 * memory; Redis is bounded by its own {@code maxmemory}), and for notifications. Bytes are what a
 * stored item costs: its stored JSON in Redis, an estimate of the same in memory.
 *
 * @param messages messages kept per room
 * @param roomBytes bytes of messages kept per room
 * @param totalBytes bytes of messages kept for all rooms of an in-memory broker
 * @param notifications notifications kept
 * @param notificationBytes bytes of notifications kept
 * @param maxRooms rooms an in-memory broker keeps
 * @param idempotencySeconds how long a message's dedup key is remembered (0: never)
 */
public record HistoryLimits(
    int messages,
    long roomBytes,
    long totalBytes,
    int notifications,
    long notificationBytes,
    int maxRooms,
    int idempotencySeconds) {

  /** Dedup keys an in-memory broker remembers per room, at most (the oldest go first). */
  public static final int MAX_DEDUP_KEYS_PER_ROOM = 10_000;

  /** Count limits only, with byte bounds too large to matter (tests of the count rules). */
  public static HistoryLimits counts(int messages, int notifications, int maxRooms) {
    return new HistoryLimits(
        messages, Long.MAX_VALUE, Long.MAX_VALUE, notifications, Long.MAX_VALUE, maxRooms, 600);
  }
}
