package io.switchboard.notifications.control;

import io.switchboard.broker.Broker;
import io.switchboard.broker.Notification;
import io.switchboard.broker.NotificationDraft;
import io.switchboard.chat.control.FrameReader;
import io.switchboard.platform.ApiException;
import io.switchboard.security.Names;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** Publishing notifications: validation of {@code {"topic","event"?,"data","user"?}}. */
@ApplicationScoped
public class Notifications {

  /** The largest {@code data}, serialized. */
  public static final int MAX_DATA_BYTES = 64 * 1024;

  static final int MAX_EVENT_LENGTH = 64;
  static final int MAX_USER_LENGTH = 256;

  @Inject Broker broker;

  /** Publishes; a repeat of {@code dedupKey} within the window answers the original. */
  public Notification publish(JsonObject body, String dedupKey) {
    String topic = topic(body.get("topic"));
    String event = optionalText(body.get("event"), "event", MAX_EVENT_LENGTH);
    if (!body.containsKey("data")) {
      throw ApiException.badRequest("'data' is required (any JSON value)");
    }
    String data = body.get("data").toString();
    if (!FrameReader.isWellFormed(data)) {
      throw ApiException.badRequest("'data' must be valid Unicode (no lone surrogates)");
    }
    if (data.getBytes(StandardCharsets.UTF_8).length > MAX_DATA_BYTES) {
      throw ApiException.tooLarge("'data' is larger than " + MAX_DATA_BYTES + " bytes");
    }
    String user = optionalText(body.get("user"), "user", MAX_USER_LENGTH);
    return broker.publish(new NotificationDraft(topic, event, data, user, dedupKey));
  }

  private static String topic(JsonValue value) {
    if (value instanceof JsonString s && Names.isRoom(s.getString())) {
      return s.getString();
    }
    throw ApiException.badRequest("'topic' is required and must match [A-Za-z0-9_.-]{1,64}");
  }

  /** An optional string field: 1 to {@code max} characters, no control characters. */
  private static String optionalText(JsonValue value, String field, int max) {
    if (value == null || value == JsonValue.NULL) {
      return null;
    }
    if (value instanceof JsonString s) {
      String text = s.getString();
      if (!text.isEmpty()
          && text.length() <= max
          && FrameReader.isWellFormed(text)
          && text.codePoints().noneMatch(Character::isISOControl)) {
        return text;
      }
    }
    throw ApiException.badRequest(
        "'"
            + field
            + "' must be a string of 1 to "
            + max
            + " characters without control characters");
  }

  /** Parses {@code topics=a,b} (and repeated {@code topics}); empty means every topic. */
  public static Set<String> topics(java.util.List<String> raw) {
    Set<String> topics = new LinkedHashSet<>();
    if (raw == null) {
      return topics;
    }
    for (String value : raw) {
      Arrays.stream(value.split(","))
          .map(String::trim)
          .filter(t -> !t.isEmpty())
          .forEach(
              t -> {
                if (!Names.isRoom(t)) {
                  throw ApiException.badRequest("Topics match [A-Za-z0-9_.-]{1,64}");
                }
                topics.add(t);
              });
    }
    return topics;
  }

  /** A Last-Event-ID header or query value; anything not a non-negative integer is ignored. */
  public static Long lastEventId(String header, String query) {
    String raw = header != null && !header.isBlank() ? header.trim() : query;
    if (raw == null
        || raw.isEmpty()
        || raw.length() > 18
        || !raw.chars().allMatch(Character::isDigit)) {
      return null;
    }
    return Long.parseLong(raw);
  }
}
