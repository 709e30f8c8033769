package io.switchboard.chat.entity;

import io.switchboard.broker.ChatMessage;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/**
 * The frames the server sends, one flat record each with its {@code type} first. Absent optional
 * fields are {@code null} and left out of the JSON.
 */
public final class ServerFrames {

  private ServerFrames() {}

  @JsonbPropertyOrder({"type", "user", "userId", "node"})
  public record Welcome(String type, String user, String userId, String node) {
    public Welcome(String user, String userId, String node) {
      this("welcome", user, userId, node);
    }
  }

  @JsonbPropertyOrder({"type", "room", "members", "memberCount", "offset", "epoch", "recovered"})
  public record Joined(
      String type,
      String room,
      List<String> members,
      int memberCount,
      long offset,
      String epoch,
      Boolean recovered) {
    public Joined(
        String room,
        List<String> members,
        int memberCount,
        long offset,
        String epoch,
        Boolean recovered) {
      this("joined", room, members, memberCount, offset, epoch, recovered);
    }
  }

  @JsonbPropertyOrder({"type", "room", "user", "userId", "message", "timestamp", "offset", "id"})
  public record Chat(
      String type,
      String room,
      String user,
      String userId,
      String message,
      long timestamp,
      long offset,
      String id) {
    public static Chat of(ChatMessage m) {
      return new Chat(
          "chat", m.room(), m.user(), m.userId(), m.message(), m.timestamp(), m.offset(), m.id());
    }
  }

  /** {@code expiring}: the connection's token ends soon ({@code exp}, seconds); send refresh. */
  @JsonbPropertyOrder({"type", "exp"})
  public record Expiring(String type, long exp) {
    public Expiring(long exp) {
      this("expiring", exp);
    }
  }

  /** {@code refreshed}: the connection now lasts until {@code exp} (seconds; null: no end). */
  @JsonbPropertyOrder({"type", "id", "exp"})
  public record Refreshed(String type, Long exp, String id) {
    public Refreshed(Long exp, String id) {
      this("refreshed", exp, id);
    }
  }

  @JsonbPropertyOrder({"type", "id", "room", "offset"})
  public record Ack(String type, String id, String room, long offset) {
    public Ack(String id, String room, long offset) {
      this("ack", id, room, offset);
    }
  }

  @JsonbPropertyOrder({"type", "room", "user"})
  public record Typing(String type, String room, String user) {
    public Typing(String room, String user) {
      this("typing", room, user);
    }
  }

  @JsonbPropertyOrder({"type", "room", "event", "user"})
  public record Presence(String type, String room, String event, String user) {
    public Presence(String room, String event, String user) {
      this("presence", room, event, user);
    }
  }

  /** {@code left}: out of the room; {@code reason} "removed" when the server API took you out. */
  @JsonbPropertyOrder({"type", "room", "reason"})
  public record Left(String type, String room, String reason) {
    public Left(String room) {
      this("left", room, null);
    }

    public Left(String room, String reason) {
      this("left", room, reason);
    }
  }

  @JsonbPropertyOrder({"type", "code", "message", "id", "retryAfterMs"})
  public record Error(String type, String code, String message, String id, Long retryAfterMs) {
    public Error(String code, String message, String id, Long retryAfterMs) {
      this("error", code, message, id, retryAfterMs);
    }
  }

  @JsonbPropertyOrder({"type", "data"})
  public record Response(String type, JsonValue data) {
    public Response(JsonValue data) {
      this("response", data);
    }
  }

  /** {@code {"type":"pong"}}, written once. */
  public static final String PONG = "{\"type\":\"pong\"}";
}
