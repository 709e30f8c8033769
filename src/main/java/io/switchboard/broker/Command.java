package io.switchboard.broker;

/**
 * An order for every node, sent by the server API: never stored, delivered at most once to each
 * node whose subscription is up when it is sent.
 *
 * @param room the room it is about, or null
 */
public record Command(Kind kind, String userId, String room) {

  public enum Kind {
    /** Close every WebSocket of the user (4010) and end its event streams. */
    DISCONNECT,
    /** Take the user out of the room: its connections there get {@code left}, reason removed. */
    REMOVE
  }

  public static Command disconnect(String userId) {
    return new Command(Kind.DISCONNECT, userId, null);
  }

  public static Command remove(String room, String userId) {
    return new Command(Kind.REMOVE, userId, room);
  }
}
