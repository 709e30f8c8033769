package io.switchboard.chat.boundary;

import io.switchboard.connection.Connection;
import io.switchboard.connection.Disconnect;
import jakarta.websocket.Session;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The connection an endpoint instance opened. The container may report the close on another thread
 * while the open handler still runs (a client that aborts as soon as its {@code welcome} arrives);
 * a plain field would then be null in the close handler and the connection, its slot and its rooms
 * would stay held forever. Whichever of open and close comes second frees the connection.
 */
public final class EndpointConnection {

  private static final Object CLOSED = new Object();

  private final AtomicReference<Object> state = new AtomicReference<>();

  /** Records what the open handler made (null: refused); frees it if the socket closed already. */
  void opened(Session session, Connection connection) {
    if (connection == null) {
      return;
    }
    if (!state.compareAndSet(null, connection)) {
      connection.onClosed(); // the close came first
    } else if (!session.isOpen()) {
      closed(); // closed while opening, and its close handler may have run already
    } else if (connection.transportGone()) {
      connection.close(Disconnect.NORMAL); // the container lost the close (see transportGone)
    }
  }

  /** The open connection, or null before the open handler made one or after a refusal. */
  Connection get() {
    return state.get() instanceof Connection connection ? connection : null;
  }

  /** The container reports the socket closed. */
  void closed() {
    if (state.getAndSet(CLOSED) instanceof Connection connection) {
      connection.onClosed();
    }
  }
}
