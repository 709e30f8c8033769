package io.switchboard.broker;

import java.util.List;

/**
 * A slice of the kept notifications, oldest first.
 *
 * @param oldestId the id of the oldest notification kept, or {@code latestId + 1} when none is
 * @param epoch the sequence's epoch (it changes when the history is lost)
 */
public record NotificationLog(
    long latestId, long oldestId, List<Notification> notifications, String epoch) {

  public NotificationLog {
    notifications = List.copyOf(notifications);
  }
}
