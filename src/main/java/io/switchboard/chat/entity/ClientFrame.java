package io.switchboard.chat.entity;

/**
 * A frame from a client, validated. {@code room} is null when the client left it out (it then
 * defaults to the path's room, or the only joined room); {@code id} is the frame's id, if any.
 */
public sealed interface ClientFrame {

  String id();

  record Join(String room, Long since, String epoch, Integer history, String id)
      implements ClientFrame {}

  record Leave(String room, String id) implements ClientFrame {}

  record Chat(String room, String message, String id) implements ClientFrame {}

  record Typing(String room, String id) implements ClientFrame {}

  record Ping(String id) implements ClientFrame {}

  /** A newer token for this connection's user ({@code exp} moves on). */
  record Refresh(String token, String id) implements ClientFrame {}
}
