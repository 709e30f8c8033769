package io.switchboard.connection;

import io.switchboard.security.Rejection;
import jakarta.websocket.CloseReason;

/** Every way Switchboard closes a WebSocket, with the code and reason of the wire contract. */
public enum Disconnect {
  NORMAL(1000, "Normal closure"),
  IDLE_TIMEOUT(1001, "Idle timeout"),
  BINARY_FRAME(1003, "Binary frames are not supported"),
  INVALID_ROOM(1008, "Invalid room"),
  INVALID_USER(1008, "Invalid user"),
  TOO_BIG(1009, "Message too big"),
  SERVICE_RESTART(1012, "Service restart"),
  TRY_AGAIN_LATER(1013, "Try again later"),
  AUTHENTICATION_REQUIRED(4001, "Authentication required"),
  INVALID_TOKEN(4002, "Invalid token"),
  TOKEN_EXPIRED(4004, "Token expired"),
  FORBIDDEN_ROOM(4003, "Forbidden room"),
  RATE_LIMITED(4008, "Rate limit exceeded"),
  SLOW_CONSUMER(4009, "Slow consumer"),
  DISCONNECTED(4010, "Disconnected");

  private final int code;
  private final String reason;

  Disconnect(int code, String reason) {
    this.code = code;
    this.reason = reason;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  /** How a handshake refusal closes the connection. */
  public static Disconnect of(Rejection.Reason reason) {
    return switch (reason) {
      case INVALID_USER -> INVALID_USER;
      case AUTHENTICATION_REQUIRED -> AUTHENTICATION_REQUIRED;
      case INVALID_TOKEN -> INVALID_TOKEN;
      case UNAVAILABLE -> TRY_AGAIN_LATER;
    };
  }

  public CloseReason closeReason() {
    return new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason);
  }
}
