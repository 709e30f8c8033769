package io.switchboard.broker;

/**
 * A notification before the {@link Broker} has given it an id and a timestamp.
 *
 * @param dedupKey what makes this notification the same as an earlier one (the publisher's
 *     credential and its Idempotency-Key), or null for none
 */
public record NotificationDraft(
    String topic, String event, String data, String user, String dedupKey) {

  /** A notification that is never taken for a repeat. */
  public NotificationDraft(String topic, String event, String data, String user) {
    this(topic, event, data, user, null);
  }
}
