package io.switchboard.chat.boundary;

import io.switchboard.connection.Connection;
import io.switchboard.connection.Disconnect;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.PongMessage;
import java.nio.ByteBuffer;

/**
 * What every Switchboard WebSocket endpoint does the same way: it holds the one connection it
 * opened ({@link EndpointConnection}), refuses binary frames (1003), counts pongs as signs of life,
 * frees the connection when the socket closes, and maps container errors to the contract. A
 * subclass opens the connection and says what a text frame does.
 */
public abstract class ConnectionEndpoint {

  protected final EndpointConnection connection = new EndpointConnection();

  /** Handles one text frame of the open connection. */
  protected abstract void onText(Connection connection, String text);

  /** Closes {@code connection} with the contract's code for {@code reason}. */
  protected abstract void reject(Connection connection, Disconnect reason);

  @OnMessage
  public void text(String text) {
    Connection c = connection.get();
    if (c != null) {
      onText(c, text);
    }
  }

  @OnMessage
  public void binary(ByteBuffer data) {
    Connection c = connection.get();
    if (c != null) {
      reject(c, Disconnect.BINARY_FRAME);
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
    Endpoints.onError(connection.get(), error, this::reject);
  }
}
