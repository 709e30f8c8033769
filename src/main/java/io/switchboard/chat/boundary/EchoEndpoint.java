package io.switchboard.chat.boundary;

import io.switchboard.chat.control.EchoService;
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

/** {@code /ws/echo}: answers each JSON frame with {@code {"type":"response","data":...}}. */
@ServerEndpoint("/ws/echo")
public class EchoEndpoint {

  @Inject EchoService echo;

  private final EndpointConnection connection = new EndpointConnection();

  @OnOpen
  public void open(Session session) {
    connection.opened(session, echo.open(session));
  }

  @OnMessage
  public void text(String text) {
    Connection c = connection.get();
    if (c != null) {
      echo.onText(c, text);
    }
  }

  @OnMessage
  public void binary(ByteBuffer data) {
    Connection c = connection.get();
    if (c != null) {
      echo.reject(c, Disconnect.BINARY_FRAME);
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
    Endpoints.onError(connection.get(), error, echo::reject);
  }
}
