package io.switchboard.chat.control;

import io.switchboard.chat.entity.ClientFrame;
import io.switchboard.chat.entity.ErrorCode;
import io.switchboard.chat.entity.FrameException;
import io.switchboard.platform.Json;
import io.switchboard.security.Names;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;

/**
 * Turns a client's text frame into a {@link ClientFrame}, or a {@link FrameException} that says
 * exactly what is wrong. Unknown fields are ignored; a {@code user} field is ignored (identity is
 * fixed at the handshake).
 */
public final class FrameReader {

  public static final int MAX_MESSAGE_CODE_POINTS = 4000;
  public static final int MAX_HISTORY = 500;
  public static final int MAX_ID_LENGTH = 64;
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private FrameReader() {}

  /** Parses JSON text into an object, or fails with {@code bad_request}. */
  public static JsonObject object(String text) {
    JsonValue value;
    try {
      value = Json.get().parse(text);
    } catch (RuntimeException | StackOverflowError e) {
      throw bad("Frame is not valid JSON", null);
    }
    if (!(value instanceof JsonObject object)) {
      throw bad("Frame must be a JSON object", null);
    }
    return object;
  }

  public static ClientFrame read(String text) {
    JsonObject frame = object(text);
    String id = frameId(frame);
    JsonValue type = frame.get("type");
    if (type == null) {
      throw bad("Missing 'type'", id);
    }
    if (!(type instanceof JsonString typeName) || !isWellFormed(typeName.getString())) {
      throw bad("'type' must be a string", id);
    }
    return switch (typeName.getString()) {
      case "join" ->
          new ClientFrame.Join(
              room(frame, id),
              nonNegativeLong(frame, "since", id),
              epoch(frame, id),
              history(frame, id),
              id);
      case "leave" -> new ClientFrame.Leave(room(frame, id), id);
      case "chat" -> new ClientFrame.Chat(room(frame, id), message(frame, id), chatId(frame, id));
      case "typing" -> new ClientFrame.Typing(room(frame, id), id);
      case "ping" -> new ClientFrame.Ping(id);
      case "refresh" -> new ClientFrame.Refresh(token(frame, id), id);
      default -> throw bad("Unknown type '" + clip(typeName.getString()) + "'", id);
    };
  }

  /** The frame's id when it is a valid one (a string of 1-64 characters), for echoing in errors. */
  static String frameId(JsonObject frame) {
    return frame.get("id") instanceof JsonString s && validId(s.getString()) ? s.getString() : null;
  }

  private static boolean validId(String id) {
    return !id.isEmpty() && id.length() <= MAX_ID_LENGTH && isWellFormed(id);
  }

  /**
   * Whether a string is valid Unicode: JSON can carry a lone surrogate ({@code "\ud800"}), which no
   * client could be sent back as UTF-8, so such strings are refused at the door.
   */
  public static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** The largest token a refresh may carry, as at a handshake. */
  static final int MAX_TOKEN_LENGTH = 8192;

  private static String token(JsonObject frame, String id) {
    if (!(frame.get("token") instanceof JsonString token)
        || token.getString().isBlank()
        || token.getString().length() > MAX_TOKEN_LENGTH) {
      throw bad("'token' must be a JWT of at most " + MAX_TOKEN_LENGTH + " characters", id);
    }
    return token.getString();
  }

  private static String chatId(JsonObject frame, String id) {
    JsonValue value = frame.get("id");
    if (value == null || value == JsonValue.NULL) {
      return null;
    }
    if (id == null) {
      throw bad("'id' must be a string of 1 to " + MAX_ID_LENGTH + " characters", null);
    }
    return id;
  }

  private static String room(JsonObject frame, String id) {
    JsonValue value = frame.get("room");
    if (value == null || value == JsonValue.NULL) {
      return null;
    }
    if (value instanceof JsonString s && Names.isRoom(s.getString())) {
      return s.getString();
    }
    throw bad("'room' must match [A-Za-z0-9_.-]{1,64}", id);
  }

  private static String message(JsonObject frame, String id) {
    JsonValue value = frame.get("message");
    if (!(value instanceof JsonString s) || !isWellFormed(s.getString())) {
      throw bad("'message' must be a string of valid Unicode", id);
    }
    String message = s.getString();
    int codePoints = message.codePointCount(0, message.length());
    if (codePoints < 1 || codePoints > MAX_MESSAGE_CODE_POINTS) {
      throw bad("'message' must be 1 to " + MAX_MESSAGE_CODE_POINTS + " characters", id);
    }
    if (isBlank(message)) {
      throw bad("'message' must not be only white space", id);
    }
    return message;
  }

  /** Only white space, Unicode's (no-break and other spaces included). */
  public static boolean isBlank(String text) {
    return text.codePoints()
        .allMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp));
  }

  private static String epoch(JsonObject frame, String id) {
    JsonValue value = frame.get("epoch");
    if (value == null || value == JsonValue.NULL) {
      return null;
    }
    if (value instanceof JsonString s
        && !s.getString().isEmpty()
        && s.getString().length() <= 64
        && isWellFormed(s.getString())) {
      return s.getString();
    }
    throw bad("'epoch' must be a string", id);
  }

  private static Integer history(JsonObject frame, String id) {
    Long history = nonNegativeLong(frame, "history", id);
    return history == null ? null : (int) Math.min(history, MAX_HISTORY);
  }

  /** A non-negative integer field; values beyond a long are capped (they only mean "a lot"). */
  private static Long nonNegativeLong(JsonObject frame, String field, String id) {
    JsonValue value = frame.get(field);
    if (value == null || value == JsonValue.NULL) {
      return null;
    }
    if (!(value instanceof JsonNumber number)) {
      throw bad("'" + field + "' must be a non-negative integer", id);
    }
    BigDecimal decimal = number.bigDecimalValue();
    if (decimal.signum() < 0 || !isIntegral(decimal)) {
      throw bad("'" + field + "' must be a non-negative integer", id);
    }
    return decimal.compareTo(LONG_MAX) > 0 ? Long.MAX_VALUE : decimal.longValue();
  }

  private static boolean isIntegral(BigDecimal decimal) {
    return decimal.signum() == 0 || decimal.stripTrailingZeros().scale() <= 0;
  }

  static FrameException bad(String message, String id) {
    return new FrameException(ErrorCode.BAD_REQUEST, message, id);
  }

  private static String clip(String s) {
    if (s.length() <= 32) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(31)) ? 31 : 32; // never split a pair
    return s.substring(0, end) + "…";
  }
}
