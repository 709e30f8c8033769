package io.switchboard.chat.boundary;

import io.switchboard.chat.control.ChatService;
import io.switchboard.connection.Connection;
import io.switchboard.connection.Disconnect;
import jakarta.inject.Inject;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

/**
 * {@code /ws/chat/{room}}: joins the path's room at open ({@code ?since=&epoch=&history=} apply to
 * that join); frames may leave {@code room} out.
 */
@ServerEndpoint(value = "/ws/chat/{room}", configurator = InjectedEndpoints.class)
public class RoomChatEndpoint extends ConnectionEndpoint {

  @Inject ChatService chat;

  private String room;

  @OnOpen
  public void open(Session session, @PathParam("room") String room) {
    this.room = room;
    connection.opened(session, chat.open(session, room));
  }

  @Override
  protected void onText(Connection c, String text) {
    chat.onText(c, text, room);
  }

  @Override
  protected void reject(Connection c, Disconnect reason) {
    chat.reject(c, reason);
  }
}
