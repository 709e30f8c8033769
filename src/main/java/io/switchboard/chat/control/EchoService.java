package io.switchboard.chat.control;

import io.switchboard.chat.entity.ErrorCode;
import io.switchboard.chat.entity.FrameException;
import io.switchboard.connection.Connection;
import io.switchboard.connection.Connections;
import io.switchboard.connection.Disconnect;
import io.switchboard.platform.Json;
import io.switchboard.platform.QueryString;
import io.switchboard.security.Rejection;
import io.switchboard.security.control.Admission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;

/**
 * {@code /ws/echo}, the connectivity check: every JSON frame comes back as {@code
 * {"type":"response","data":<the frame>}}, under the same limits as chat.
 */
@ApplicationScoped
public class EchoService {

  @Inject Connections connections;
  @Inject Admission admission;
  @Inject FrameGate gate;

  public Connection open(Session session) {
    try {
      Admission.Admitted admitted = admission.admit(QueryString.parse(session.getQueryString()));
      return connections.open(session, admitted.identity(), c -> admitted.release().run());
    } catch (Rejection r) {
      connections.refuse(session, Disconnect.of(r.reason()));
      return null;
    }
  }

  public void onText(Connection connection, String text) {
    if (!gate.admitFrame(connection, text)) {
      return;
    }
    String id = null;
    try {
      id = FrameReader.frameId(FrameReader.object(text));
    } catch (FrameException e) {
      // not an object: it may still be valid JSON (an array, a number)
    }
    if (!gate.admitRate(connection, id)) {
      return;
    }
    try {
      Json.get().parse(text);
    } catch (RuntimeException | StackOverflowError e) {
      FrameGate.sendError(connection, ErrorCode.BAD_REQUEST, "Frame is not valid JSON", null, null);
      return;
    }
    // The frame is valid JSON, so it can be embedded as it was received.
    connection.send("{\"type\":\"response\",\"data\":" + text + "}");
  }

  public void reject(Connection connection, Disconnect reason) {
    connections.close(connection, reason);
  }
}
