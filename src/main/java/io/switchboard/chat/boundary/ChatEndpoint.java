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
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;

/** {@code /ws/chat}: a connection that joins rooms with {@code join} frames. */
@ServerEndpoint("/ws/chat")
public class ChatEndpoint {

  @Inject ChatService chat;

  private Connection connection;

  @OnOpen
  public void open(Session session) {
    connection = chat.open(session, null);
  }

  @OnMessage
  public void text(String text) {
    if (connection != null) {
      chat.onText(connection, text, null);
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
