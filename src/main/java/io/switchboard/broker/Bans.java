package io.switchboard.broker;

/**
 * Who may not join which room, until when: set by the server API, cluster-wide, forgotten when it
 * ends.
 *
 * <p>Implementations: {@link InMemoryBans} (one node) and the Redis one.
 */
public interface Bans {

  /** Bans the user from the room until {@code untilMillis} (replacing an earlier ban's end). */
  void ban(String room, String userId, long untilMillis);

  /** Whether the user is banned from the room now. */
  boolean isBanned(String room, String userId);
}
