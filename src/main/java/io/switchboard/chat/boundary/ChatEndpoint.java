package io.switchboard.chat.boundary;

import io.switchboard.chat.control.ChatService;
import io.switchboard.connection.Connection;
import io.switchboard.connection.Disconnect;
import jakarta.inject.Inject;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** {@code /ws/chat}: a connection that joins rooms with {@code join} frames. */
@ServerEndpoint(value = "/ws/chat", configurator = InjectedEndpoints.class)
public class ChatEndpoint extends ConnectionEndpoint {

  @Inject ChatService chat;

  @OnOpen
  public void open(Session session) {
    connection.opened(session, chat.open(session, null));
  }

  @Override
  protected void onText(Connection c, String text) {
    chat.onText(c, text, null);
  }

  @Override
  protected void reject(Connection c, Disconnect reason) {
    chat.reject(c, reason);
  }
}
