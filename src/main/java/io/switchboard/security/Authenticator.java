package io.switchboard.security;

import static io.switchboard.platform.QueryString.first;

import io.switchboard.connection.Disconnect;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Establishes who a connection is, once, at the handshake.
 *
 * <p>Guest mode (no JWT secret configured): the {@code user} query parameter names the user, or a
 * {@code guest-XXXX} name is made; a guest's userId is its name.
 */
@ApplicationScoped
public class Authenticator {

  private static final Logger LOG = Logger.getLogger(Authenticator.class.getName());

  /** Identifies a WebSocket or SSE client from its query parameters. */
  public Identity identify(Map<String, List<String>> query) throws Rejection {
    try {
      return Identity.guest(Names.displayName(first(query, "user")).orElseGet(Names::guestName));
    } catch (IllegalArgumentException e) {
      throw new Rejection(Disconnect.INVALID_USER);
    }
  }

  public boolean guestMode() {
    return true;
  }

  public void announce() {
    LOG.warning("Authentication is off (guest mode): anyone may connect under any name");
  }
}
