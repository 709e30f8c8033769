package io.switchboard.broker;

/**
 * A chat message as stored in a room's history: the offset and timestamp are assigned by the {@link
 * Broker}, everything else comes from the sender.
 *
 * @param epoch the room's epoch when the message was stored: offsets of different epochs are never
 *     compared
 * @param id the client's id for the message, or one the server made
 * @param userId the sender's stable identity; {@code user} is its display name
 */
public record ChatMessage(
    String room,
    String epoch,
    long offset,
    String id,
    String user,
    String userId,
    String message,
    long timestamp) {

  /** What keeping this message in memory costs, about (its strings as UTF-16, and the record). */
  public int heapBytes() {
    return 2 * (length(message) + length(user) + length(userId) + length(id)) + 160;
  }

  private static int length(String text) {
    return text == null ? 0 : text.length();
  }
}
