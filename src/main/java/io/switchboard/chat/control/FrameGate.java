package io.switchboard.chat.control;

import io.switchboard.chat.entity.ChatActivity;
import io.switchboard.chat.entity.ErrorCode;
import io.switchboard.chat.entity.ServerFrames;
import io.switchboard.config.Settings;
import io.switchboard.connection.Connection;
import io.switchboard.connection.Connections;
import io.switchboard.connection.Disconnect;
import io.switchboard.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

/**
 * What every text frame of every endpoint passes before it is read (chat and echo alike): a sign of
 * life, the frame size limit, the byte budget and the rate limits, answered as the contract says
 * ({@code rate_limited}, then 4008; 1009 past the size).
 */
@ApplicationScoped
public class FrameGate {

  @Inject Settings settings;
  @Inject Connections connections;
  @Inject Event<ChatActivity> activity;

  /**
   * The checks every frame passes first, pings included: a sign of life, the frame size limit (the
   * container counts characters; the contract counts UTF-8 bytes) and the connection's byte budget.
   */
  boolean admitFrame(Connection connection, String text) {
    connection.touch(System.nanoTime());
    long bytes = Utf8.length(text);
    if (bytes > settings.maxFrameBytes()) {
      connections.close(connection, Disconnect.TOO_BIG);
      return false;
    }
    return answer(connection, connections.admitBytes(connection, bytes), "Too many bytes", null);
  }

  /** Charges the frame to the rate limits; answers {@code rate_limited} when over. */
  boolean admitRate(Connection connection, String frameId) {
    return answer(connection, connections.admit(connection), "Too many messages", frameId);
  }

  /** Lets a frame pass (wait 0), or answers {@code rate_limited}, and closes an abuser (4008). */
  private boolean answer(Connection connection, long wait, String what, String frameId) {
    if (wait == 0) {
      return true;
    }
    activity.fire(ChatActivity.RATE_LIMITED);
    sendError(connection, ErrorCode.RATE_LIMITED, what + "; slow down", frameId, Math.abs(wait));
    if (wait < 0) {
      connections.closeAbusive(connection);
    }
    return false;
  }

  /** Queues an {@code error} frame. */
  static void sendError(
      Connection connection, ErrorCode code, String message, String id, Long retryAfterMs) {
    connection.send(
        Json.get().write(new ServerFrames.Error(code.wire(), message, id, retryAfterMs)));
  }
}
