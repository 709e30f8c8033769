package io.switchboard.broker;

/**
 * What publishing a chat message did: stored it (and handed it to every node), or found that the
 * room already took the same message (its dedup key) within the idempotency window, in which case
 * nothing was stored or delivered again and {@code message} carries the original's offset.
 */
public record Published(ChatMessage message, boolean duplicate) {

  public long offset() {
    return message.offset();
  }
}
