package io.switchboard.security.control;

import static io.switchboard.platform.QueryString.first;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import io.switchboard.broker.BrokerUnavailableException;
import io.switchboard.broker.TicketLedger;
import io.switchboard.config.InvalidSettingException;
import io.switchboard.config.Settings;
import io.switchboard.security.Caller;
import io.switchboard.security.Identity;
import io.switchboard.security.Names;
import io.switchboard.security.Rejection;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Establishes who a client is, once, when it connects.
 *
 * <p>Guest mode (no verification key configured): the {@code user} query parameter names the user,
 * or a {@code guest-XXXX} name is made; a guest's userId is its name.
 *
 * <p>Token mode (an HS256 secret, public keys, or a JWKS URL): a JWT as {@code ?token=} (WebSocket,
 * EventSource), in the configured header or cookie ({@code Authorization: Bearer} by default), or a
 * one-use connect ticket as {@code ?ticket=}. Missing: 4001 / 401; invalid, expired or reused: 4002
 * / 401; not checkable now (the provider's keys cannot be had): 503.
 */
@ApplicationScoped
public class Authenticator {

  private static final Logger LOG = Logger.getLogger(Authenticator.class.getName());

  /** How long a connect ticket is valid. */
  public static final Duration TICKET_LIFETIME = Duration.ofSeconds(30);

  @Inject Settings settings;
  @Inject TicketLedger tickets;

  private Jwts jwts;
  private RemoteKeys remoteKeys;
  private String keysDescription = "none";

  @PostConstruct
  void start() {
    Settings.Auth auth = settings.auth();
    Optional<byte[]> secret = settings.jwtSecret();
    if (secret.isEmpty() && !auth.hasPublicKeys()) {
      return; // guest mode
    }
    List<JWK> keys = new ArrayList<>();
    List<String> described = new ArrayList<>();
    secret.ifPresent(s -> described.add("HS256 secret"));
    auth.publicKey()
        .ifPresent(
            text -> {
              keys.addAll(parse("mp.jwt.verify.publickey", text));
              described.add(keys.size() + " configured public key(s)");
            });
    auth.publicKeyLocation().ifPresent(location -> load(location, keys, described));
    byte[] ticketKey =
        auth.ticketSecret().or(() -> secret).map(Jwts::ticketKey).orElseGet(this::nodeTicketKey);
    TokenPolicy policy =
        new TokenPolicy(
            settings.issuer(),
            auth.audiences(),
            Duration.ofSeconds(auth.clockSkewSeconds()),
            auth.publicKeyAlgorithms().stream()
                .map(JWSAlgorithm::parse)
                .collect(Collectors.toSet()),
            auth.rolesClaims(),
            auth.roomsClaim());
    jwts = new Jwts(secret, keys, remoteKeys, ticketKey, policy, Clock.systemUTC());
    keysDescription = String.join(", ", described);
  }

  private void load(String location, List<JWK> keys, List<String> described) {
    String key = "mp.jwt.verify.publickey.location";
    URI uri;
    try {
      uri = location.matches("(?i)(https?|file):.*") ? URI.create(location) : null;
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(key, "is not a URL: " + e.getMessage());
    }
    if (uri != null && uri.getScheme().toLowerCase().startsWith("http")) {
      Settings.Auth auth = settings.auth();
      remoteKeys =
          new RemoteKeys(
              uri,
              Duration.ofSeconds(auth.jwksRefreshSeconds()),
              Duration.ofSeconds(auth.jwksMinRefreshSeconds()));
      remoteKeys.start(); // a provider that is down does not stop the node: it keeps trying
      described.add("the JWKS at " + uri);
      return;
    }
    Path file = uri != null ? Path.of(uri) : Path.of(location);
    try {
      List<JWK> read = parse(key, Files.readString(file, StandardCharsets.UTF_8));
      keys.addAll(read);
      described.add(read.size() + " public key(s) from " + file);
    } catch (IOException e) {
      throw new InvalidSettingException(key, "cannot be read: " + e.getMessage());
    }
  }

  private static List<JWK> parse(String key, String text) {
    try {
      return PublicKeys.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(key, "holds " + e.getMessage());
    }
  }

  /** No secret to derive the tickets' key from: this node makes one (its tickets are its own). */
  private byte[] nodeTicketKey() {
    if (settings.redisUrl().isPresent()) {
      LOG.warning(
          "No switchboard.auth.ticket-secret: connect tickets are signed with a key made at start,"
              + " so a ticket works only on the node that made it. Set the same"
              + " switchboard.auth.ticket-secret on every node");
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  @PreDestroy
  void stop() {
    if (remoteKeys != null) {
      remoteKeys.close();
    }
  }

  public boolean guestMode() {
    return jwts == null;
  }

  /** How long after its {@code exp} a token is still accepted. */
  public Duration clockSkew() {
    return jwts == null ? Duration.ZERO : jwts.clockSkew();
  }

  /**
   * The user token a request carries where configuration says ({@code mp.jwt.token.header}, {@code
   * mp.jwt.token.cookie}): by default the credential of {@code Authorization: Bearer}.
   *
   * @param header a request header by name
   * @param cookie a cookie's value by name
   */
  public String tokenOf(Function<String, String> header, Function<String, String> cookie) {
    String name = settings.auth().tokenHeader();
    if (name.equalsIgnoreCase("Authorization")) {
      return Access.bearer(header.apply("Authorization"));
    }
    String value =
        name.equalsIgnoreCase("Cookie")
            ? cookie.apply(settings.auth().tokenCookie())
            : header.apply(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    String token = value.trim();
    return token.regionMatches(true, 0, "Bearer ", 0, 7) ? token.substring(7).trim() : token;
  }

  /** Identifies a WebSocket or SSE client from its query parameters. */
  public Identity identify(Map<String, List<String>> query) throws Rejection {
    return identify(query, null);
  }

  /**
   * Identifies a WebSocket or SSE client from its query parameters, or else from the token its
   * request carried in a header or cookie ({@link #tokenOf}).
   */
  public Identity identify(Map<String, List<String>> query, String headerToken) throws Rejection {
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
    if (token != null && !token.isEmpty()) {
      return verify(token, true);
    }
    if (headerToken != null) {
      return verify(headerToken, false);
    }
    throw new Rejection(Rejection.Reason.AUTHENTICATION_REQUIRED);
  }

  /** Verifies a user's token from a header or cookie (token mode). */
  public Identity verify(String token) throws Rejection {
    return verify(token, false);
  }

  private Identity verify(String token, boolean inUrl) throws Rejection {
    try {
      return jwts.verifyToken(token, inUrl);
    } catch (Jwts.InvalidTokenException e) {
      LOG.fine(() -> "Token refused: " + e.getMessage());
      throw new Rejection(Rejection.Reason.INVALID_TOKEN);
    } catch (RemoteKeys.KeysUnavailableException e) {
      LOG.fine(() -> "Token not checked: " + e.getMessage());
      throw new Rejection(Rejection.Reason.UNAVAILABLE);
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
    } else {
      LOG.info("Token mode: tokens are verified with " + keysDescription);
    }
  }
}
