package io.switchboard.broker;

/**
 * A chat message before the {@link Broker} has given it an offset and a timestamp.
 *
 * @param dedupKey what makes this message the same as an earlier one of the room (the sender and
 *     its id): a draft whose key the room already took within the idempotency window is not stored
 *     again; null for none
 */
public record ChatDraft(
    String room, String id, String user, String userId, String message, String dedupKey) {

  /** A draft that is never taken for a repeat. */
  public ChatDraft(String room, String id, String user, String userId, String message) {
    this(room, id, user, userId, message, null);
  }
}
