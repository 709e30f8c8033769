package io.switchboard.broker;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Bans} of one node; ended bans are swept. */
public final class InMemoryBans implements Bans {

  private final Clock clock;
  private final ConcurrentHashMap<String, Long> until = new ConcurrentHashMap<>();

  public InMemoryBans(Clock clock) {
    this.clock = clock;
  }

  private static String key(String room, String userId) {
    return room + '\n' + userId; // a room name has no line break
  }

  @Override
  public void ban(String room, String userId, long untilMillis) {
    if (untilMillis > clock.millis()) {
      until.put(key(room, userId), untilMillis);
    } else {
      until.remove(key(room, userId));
    }
  }

  @Override
  public boolean isBanned(String room, String userId) {
    Long end = until.get(key(room, userId));
    return end != null && end > clock.millis();
  }

  /** Forgets bans that ended. */
  public void sweep() {
    long now = clock.millis();
    until.values().removeIf(end -> end <= now);
  }
}
