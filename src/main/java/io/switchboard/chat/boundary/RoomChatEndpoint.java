package io.switchboard.chat.boundary;

import io.switchboard.chat.control.ChatService;
import io.switchboard.connection.Connection;
import io.switchboard.connection.Disconnect;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;

/**
 * {@code /ws/chat/{room}}: joins the path's room at open ({@code ?since=&epoch=&history=} apply to
 * that join); frames may leave {@code room} out.
 */
@ServerEndpoint("/ws/chat/{room}")
public class RoomChatEndpoint {

  @Inject ChatService chat;

  private Connection connection;
  private String room;

  @OnOpen
  public void open(Session session, @PathParam("room") String room) {
    this.room = room;
    connection = chat.open(session, room);
  }

  @OnMessage
  public void text(String text) {
    if (connection != null) {
      chat.onText(connection, text, room);
    }
  }

  @OnMessage
  public void binary(ByteBuffer data) {
    if (connection != null) {
      chat.reject(connection, Disconnect.BINARY_FRAME);
    }
  }

  @OnMessage
  public void pong(PongMessage pong) {
    if (connection != null) {
      connection.touch(System.nanoTime());
    }
  }

  @OnClose
  public void close(CloseReason reason) {
    chat.closed(connection);
  }

  @OnError
  public void error(Throwable error) {
    Endpoints.onError(connection, error, chat::reject);
  }
}
