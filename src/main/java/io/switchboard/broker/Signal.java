package io.switchboard.broker;

/**
 * An ephemeral room event: never stored, never given an offset, delivered at most once to the nodes
 * subscribed to the room at the time.
 */
public record Signal(String room, Kind kind, String user, String userId) {

  public enum Kind {
    TYPING,
    JOIN,
    LEAVE
  }
}
