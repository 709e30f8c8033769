package io.switchboard.chat.control;

import io.switchboard.broker.RoomLog;

/**
 * Decides where a joining client's replay starts: right after its {@code since} when history still
 * holds everything after it and the epoch is the same, otherwise before the last {@code history}
 * messages, with {@code recovered: false}. The replay itself is sent a page at a time (see {@link
 * RoomFeed}), so its size costs nothing here.
 */
public final class Recovery {

  public static final int DEFAULT_HISTORY = 50;

  private Recovery() {}

  /**
   * Where the replay starts.
   *
   * @param after the replay sends every kept message with a greater offset
   * @param recovered null when the client asked for no resumption (no since, no epoch)
   */
  public record Replay(long after, Boolean recovered) {}

  /** Plans the replay of a join from the room's head ({@code Broker.open}). */
  public static Replay plan(RoomLog head, Long since, String epoch, Integer history) {
    int last = history == null ? DEFAULT_HISTORY : history;
    long tail = Math.max(head.oldestOffset() - 1, head.latestOffset() - last);
    if (since != null) {
      boolean sameEpoch = epoch == null || epoch.equals(head.epoch());
      if (sameEpoch && head.covers(since)) {
        return new Replay(since, true);
      }
      return new Replay(tail, false);
    }
    return new Replay(tail, epoch == null ? null : epoch.equals(head.epoch()));
  }
}
