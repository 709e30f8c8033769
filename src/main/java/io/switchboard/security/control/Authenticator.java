package io.switchboard.security.control;

import static io.switchboard.platform.QueryString.first;

import io.switchboard.broker.BrokerUnavailableException;
import io.switchboard.broker.TicketLedger;
import io.switchboard.config.Settings;
import io.switchboard.security.Caller;
import io.switchboard.security.Identity;
import io.switchboard.security.Names;
import io.switchboard.security.Rejection;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Establishes who a client is, once, when it connects.
 *
 * <p>Guest mode (no JWT secret configured): the {@code user} query parameter names the user, or a
 * {@code guest-XXXX} name is made; a guest's userId is its name.
 *
 * <p>Token mode: an HS256 JWT as {@code ?token=} (WebSocket, EventSource) or {@code Authorization:
 * Bearer} (HTTP), or a one-use connect ticket as {@code ?ticket=}. Missing: 4001 / 401; invalid,
 * expired or reused: 4002 / 401.
 */
@ApplicationScoped
public class Authenticator {

  private static final Logger LOG = Logger.getLogger(Authenticator.class.getName());

  /** How long a connect ticket is valid. */
  public static final Duration TICKET_LIFETIME = Duration.ofSeconds(30);

  @Inject Settings settings;
  @Inject TicketLedger tickets;

  private Jwts jwts;

  @PostConstruct
  void start() {
    jwts =
        settings
            .jwtSecret()
            .map(secret -> new Jwts(secret, settings.issuer(), Clock.systemUTC()))
            .orElse(null);
  }

  public boolean guestMode() {
    return jwts == null;
  }

  /** Identifies a WebSocket or SSE client from its query parameters. */
  public Identity identify(Map<String, List<String>> query) throws Rejection {
    if (guestMode()) {
      try {
        String name = Names.displayName(first(query, "user")).orElseGet(Names::guestName);
        if (name.startsWith(Caller.SERVER_SENDER_PREFIX)) {
          throw new Rejection(Rejection.Reason.INVALID_USER); // the server-side senders' ids
        }
        return Identity.guest(name);
      } catch (IllegalArgumentException e) {
        throw new Rejection(Rejection.Reason.INVALID_USER);
      }
    }
    String ticket = first(query, "ticket");
    if (ticket != null && !ticket.isEmpty()) {
      return redeem(ticket);
    }
    String token = first(query, "token");
    if (token == null || token.isEmpty()) {
      throw new Rejection(Rejection.Reason.AUTHENTICATION_REQUIRED);
    }
    return verify(token, true);
  }

  /** Verifies a user's token from an Authorization header (token mode). */
  public Identity verify(String token) throws Rejection {
    return verify(token, false);
  }

  private Identity verify(String token, boolean inUrl) throws Rejection {
    try {
      return jwts.verifyToken(token, inUrl);
    } catch (Jwts.InvalidTokenException e) {
      LOG.fine(() -> "Token refused: " + e.getMessage());
      throw new Rejection(Rejection.Reason.INVALID_TOKEN);
    }
  }

  private Identity redeem(String ticket) throws Rejection {
    try {
      Jwts.Ticket verified = jwts.verifyTicket(ticket);
      if (!tickets.redeem(verified.id(), verified.expiresAtMillis())) {
        LOG.fine("Ticket refused: already used");
        throw new Rejection(Rejection.Reason.INVALID_TOKEN);
      }
      return verified.identity();
    } catch (Jwts.InvalidTokenException e) {
      LOG.fine(() -> "Ticket refused: " + e.getMessage());
      throw new Rejection(Rejection.Reason.INVALID_TOKEN);
    } catch (BrokerUnavailableException e) {
      throw new Rejection(Rejection.Reason.INVALID_TOKEN);
    }
  }

  /** Makes a one-use connect ticket for an authenticated user (token mode). */
  public String ticketFor(Identity identity) {
    return jwts.mintTicket(identity, TICKET_LIFETIME);
  }

  /** Whether the bearer credential is the configured API key (compared in constant time). */
  public boolean isApiKey(String credential) {
    return settings
        .apiKey()
        .map(
            key ->
                credential != null
                    && MessageDigest.isEqual(
                        key.getBytes(StandardCharsets.UTF_8),
                        credential.getBytes(StandardCharsets.UTF_8)))
        .orElse(false);
  }

  /** Whether publishing needs no credentials at all (guest mode without an API key: a demo). */
  public boolean openPublishing() {
    return guestMode() && settings.apiKey().isEmpty();
  }

  public void announce() {
    if (guestMode()) {
      LOG.warning("Authentication is off (guest mode): anyone may connect under any name");
      if (openPublishing()) {
        LOG.warning("Publishing is open to anyone (guest mode without switchboard.api.key)");
      }
    }
  }
}
