package io.switchboard.chat.boundary;

import io.switchboard.chat.control.EchoService;
import io.switchboard.connection.Connection;
import io.switchboard.connection.Disconnect;
import jakarta.inject.Inject;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** {@code /ws/echo}: answers each JSON frame with {@code {"type":"response","data":...}}. */
@ServerEndpoint(value = "/ws/echo", configurator = InjectedEndpoints.class)
public class EchoEndpoint extends ConnectionEndpoint {

  @Inject EchoService echo;

  @OnOpen
  public void open(Session session) {
    connection.opened(session, echo.open(session));
  }

  @Override
  protected void onText(Connection c, String text) {
    echo.onText(c, text);
  }

  @Override
  protected void reject(Connection c, Disconnect reason) {
    echo.reject(c, reason);
  }
}
