package io.switchboard.security;

import io.switchboard.connection.Disconnect;

/** A connection refused at the handshake, with the close code the client gets. */
public class Rejection extends Exception {

  private final Disconnect disconnect;

  public Rejection(Disconnect disconnect) {
    super(disconnect.reason(), null, false, false);
    this.disconnect = disconnect;
  }

  public Disconnect disconnect() {
    return disconnect;
  }
}
