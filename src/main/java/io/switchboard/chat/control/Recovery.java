package io.switchboard.chat.control;

import io.switchboard.broker.Broker;
import io.switchboard.broker.RoomLog;

/**
 * Decides what a joining client receives: everything after its {@code since} when history still
 * holds it and the epoch is the same, otherwise the last {@code history} messages and {@code
 * recovered: false}.
 */
public final class Recovery {

  public static final int DEFAULT_HISTORY = 50;

  private Recovery() {}

  /**
   * What to send after {@code joined}.
   *
   * @param recovered null when the client asked for no resumption (no since, no epoch)
   */
  public record Replay(RoomLog log, Boolean recovered) {}

  public static Replay plan(
      Broker broker, String room, Long since, String epoch, Integer history, int historySize) {
    int last = history == null ? DEFAULT_HISTORY : history;
    if (since != null) {
      RoomLog log = broker.read(room, since, historySize);
      boolean sameEpoch = epoch == null || epoch.equals(log.epoch());
      if (sameEpoch && log.covers(since)) {
        return new Replay(log, true);
      }
      return new Replay(broker.tail(room, last), false);
    }
    RoomLog tail = broker.tail(room, last);
    return new Replay(tail, epoch == null ? null : epoch.equals(tail.epoch()));
  }
}
