package io.switchboard.chat.boundary;

import io.switchboard.connection.Connection;
import io.switchboard.connection.Disconnect;
import java.io.IOException;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What the WebSocket endpoints share: how a container-reported error maps to the contract. */
final class Endpoints {

  private static final Logger LOG = Logger.getLogger(Endpoints.class.getName());

  private Endpoints() {}

  static void onError(
      Connection connection, Throwable error, BiConsumer<Connection, Disconnect> reject) {
    if (connection == null) {
      return;
    }
    if (error.getClass().getSimpleName().equals("MessageTooBigException")) {
      reject.accept(connection, Disconnect.TOO_BIG);
    } else if (error instanceof IOException || error.getCause() instanceof IOException) {
      LOG.fine(() -> "Connection " + connection.id() + " broke: " + error);
    } else {
      LOG.log(Level.WARNING, "Connection " + connection.id() + " failed", error);
    }
  }
}
