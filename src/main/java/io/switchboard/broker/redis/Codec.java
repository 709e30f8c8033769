package io.switchboard.broker.redis;

import io.switchboard.broker.ChatDraft;
import io.switchboard.broker.ChatMessage;
import io.switchboard.broker.Notification;
import io.switchboard.broker.NotificationDraft;
import io.switchboard.broker.Signal;
import io.switchboard.platform.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * How messages, notifications and signals are written in Redis and on its channels: JSON, built by
 * the node up to the offset (or id), which the Lua script inserts.
 */
final class Codec {

  private Codec() {}

  /** The stored JSON of a chat message, split around its offset. */
  static String[] message(ChatDraft draft, long timestamp) {
    String head =
        "{\"room\":"
            + quote(draft.room())
            + ",\"id\":"
            + quote(draft.id())
            + ",\"user\":"
            + quote(draft.user())
            + ",\"userId\":"
            + quote(draft.userId())
            + ",\"message\":"
            + quote(draft.message())
            + ",\"timestamp\":"
            + timestamp
            + ",\"offset\":";
    return new String[] {head, "}"};
  }

  /** A stored message (its JSON), of the room's epoch {@code epoch}. */
  static ChatMessage message(String json, String epoch) {
    JsonObject o = Json.get().parse(json).asJsonObject();
    return new ChatMessage(
        o.getString("room"),
        epoch,
        o.getJsonNumber("offset").longValue(),
        text(o, "id"),
        o.getString("user"),
        o.getString("userId"),
        o.getString("message"),
        o.getJsonNumber("timestamp").longValue());
  }

  /** The stored JSON of a notification, split around its id. */
  static String[] notification(NotificationDraft draft, long timestamp) {
    StringBuilder head = new StringBuilder(draft.data().length() + 128);
    head.append("{\"topic\":").append(quote(draft.topic()));
    if (draft.event() != null) {
      head.append(",\"event\":").append(quote(draft.event()));
    }
    if (draft.user() != null) {
      head.append(",\"user\":").append(quote(draft.user()));
    }
    head.append(",\"timestamp\":").append(timestamp);
    head.append(",\"data\":").append(draft.data());
    head.append(",\"id\":");
    return new String[] {head.toString(), "}"};
  }

  /** A stored notification (its JSON), of the sequence's epoch {@code epoch}. */
  static Notification notification(String json, String epoch) {
    JsonObject o = Json.get().parse(json).asJsonObject();
    return new Notification(
        o.getJsonNumber("id").longValue(),
        o.getString("topic"),
        text(o, "event"),
        o.get("data").toString(),
        text(o, "user"),
        o.getJsonNumber("timestamp").longValue(),
        epoch);
  }

  static String signal(Signal signal) {
    return "{\"room\":"
        + quote(signal.room())
        + ",\"kind\":\""
        + signal.kind().name()
        + "\",\"user\":"
        + quote(signal.user())
        + ",\"userId\":"
        + quote(signal.userId())
        + "}";
  }

  static String command(io.switchboard.broker.Command command) {
    return "{\"kind\":\""
        + command.kind().name()
        + "\",\"userId\":"
        + quote(command.userId())
        + (command.room() == null ? "" : ",\"room\":" + quote(command.room()))
        + "}";
  }

  /** A command, or null for one this node does not know (sent by a newer node). */
  static io.switchboard.broker.Command command(String json) {
    JsonObject o = Json.get().parse(json).asJsonObject();
    io.switchboard.broker.Command.Kind kind;
    try {
      kind = io.switchboard.broker.Command.Kind.valueOf(o.getString("kind", ""));
    } catch (IllegalArgumentException e) {
      return null;
    }
    return new io.switchboard.broker.Command(kind, text(o, "userId"), text(o, "room"));
  }

  static Signal signal(String json) {
    JsonObject o = Json.get().parse(json).asJsonObject();
    return new Signal(
        o.getString("room"),
        Signal.Kind.valueOf(o.getString("kind")),
        o.getString("user"),
        o.getString("userId"));
  }

  private static String text(JsonObject o, String field) {
    JsonValue value = o.get(field);
    return value instanceof JsonString s ? s.getString() : null;
  }

  private static String quote(String s) {
    return s == null ? "null" : Json.get().quote(s);
  }
}
