package io.switchboard.notifications.control;

import io.switchboard.broker.Notification;
import io.switchboard.platform.Json;

/**
 * The {@code data:} of a notification event: {@code {"id","topic","event"?,"data","timestamp",
 * "user"?}}, with the published data embedded exactly as it was stored.
 */
final class NotificationJson {

  private NotificationJson() {}

  static String of(Notification n) {
    StringBuilder json = new StringBuilder(n.data().length() + 128);
    json.append("{\"id\":").append(n.id());
    json.append(",\"topic\":").append(Json.get().quote(n.topic()));
    if (n.event() != null) {
      json.append(",\"event\":").append(Json.get().quote(n.event()));
    }
    json.append(",\"data\":").append(n.data());
    json.append(",\"timestamp\":").append(n.timestamp());
    if (n.user() != null) {
      json.append(",\"user\":").append(Json.get().quote(n.user()));
    }
    return json.append('}').toString();
  }
}
