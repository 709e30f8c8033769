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

  private final EndpointConnection connection = new EndpointConnection();
  private String room;

  @OnOpen
  public void open(Session session, @PathParam("room") String room) {
    this.room = room;
    connection.opened(session, chat.open(session, room));
  }

  @OnMessage
  public void text(String text) {
    Connection c = connection.get();
    if (c != null) {
      chat.onText(c, text, room);
    }
  }

  @OnMessage
  public void binary(ByteBuffer data) {
    Connection c = connection.get();
    if (c != null) {
      chat.reject(c, Disconnect.BINARY_FRAME);
    }
  }

  @OnMessage
  public void pong(PongMessage pong) {
    Connection c = connection.get();
    if (c != null) {
      c.touch(System.nanoTime());
    }
  }

  @OnClose
  public void close(CloseReason reason) {
    connection.closed();
  }

  @OnError
  public void error(Throwable error) {
    Endpoints.onError(connection.get(), error, chat::reject);
  }
}
