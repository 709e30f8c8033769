package io.switchboard.broker;

/**
 * A notification as stored: {@code id} is assigned by the {@link Broker} and strictly increases
 * across the cluster.
 *
 * @param event the event name, or {@code null} for an unnamed event
 * @param data the payload as JSON text, exactly as published
 * @param user the userId it is addressed to, or {@code null} for everyone
 * @param epoch the notification sequence's epoch: ids of different epochs are never compared
 */
public record Notification(
    long id, String topic, String event, String data, String user, long timestamp, String epoch) {

  /** What keeping this notification in memory costs, about. */
  public int heapBytes() {
    return 2
            * (data.length()
                + topic.length()
                + (event == null ? 0 : event.length())
                + (user == null ? 0 : user.length()))
        + 160;
  }
}
