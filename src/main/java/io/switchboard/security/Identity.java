package io.switchboard.security;

import java.time.Instant;
import java.util.Set;

/**
 * Who is on the other end of a connection, fixed at the handshake.
 *
 * @param user the display name
 * @param userId the stable id (a guest's equals its name)
 * @param rooms room patterns the user may join; {@code *} alone means every room
 * @param roles roles from the token ({@code publisher}); empty for guests
 * @param expires the {@code exp} of the token it connected with (or of the token a ticket was made
 *     from); null when its credential does not expire (guests, the API key, a token without one)
 */
public record Identity(
    String user, String userId, Set<String> rooms, Set<String> roles, Instant expires) {

  public Identity {
    rooms = Set.copyOf(rooms);
    roles = Set.copyOf(roles);
  }

  /** An identity whose credential does not expire. */
  public Identity(String user, String userId, Set<String> rooms, Set<String> roles) {
    this(user, userId, rooms, roles, null);
  }

  /** The same identity, with the expiry of a newer token of the same user. */
  public Identity withExpiry(Instant newExpiry) {
    return new Identity(user, userId, rooms, roles, newExpiry);
  }

  public static Identity guest(String name) {
    return new Identity(name, name, Set.of("*"), Set.of());
  }

  /** Whether the {@code rooms} claim lets this user into {@code room}. */
  public boolean mayJoin(String room) {
    for (String pattern : rooms) {
      if (pattern.equals("*") || pattern.equals(room)) {
        return true;
      }
      if (pattern.endsWith("*") && room.startsWith(pattern.substring(0, pattern.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}
