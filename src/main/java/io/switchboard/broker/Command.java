package io.switchboard.broker;

/**
 * An order for every node, sent by the server API: never stored, delivered at most once to each
 * node whose subscription is up when it is sent.
 */
public record Command(Kind kind, String userId) {

  public enum Kind {
    /** Close every WebSocket of the user (4010) and end its event streams. */
    DISCONNECT
  }
}
