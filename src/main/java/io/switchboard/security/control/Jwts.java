package io.switchboard.security.control;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.security.Identity;
import io.switchboard.security.Names;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies users' HS256 tokens and makes and verifies one-use connect tickets, with Nimbus JOSE.
 *
 * <p>Only HS256 is accepted ({@code alg: none}, HS512 and every other algorithm are refused);
 * {@code sub} is required; {@code exp} and {@code nbf} are enforced with 30 s of leeway; {@code
 * iss} is checked when an issuer is configured. {@code roles} and {@code rooms} may be a list or a
 * single string, as identity providers write them.
 *
 * <p>A ticket is signed with a key derived from the secret (HMAC-SHA256 of the secret over a fixed
 * label), never the secret itself, and carries an issuer and audience of its own and a lifetime of
 * at most {@link #MAX_TICKET_LIFETIME}: a token signed with the secret is never a ticket, a ticket
 * is never a token, and a leaked ticket is worth 30 seconds.
 */
public final class Jwts {

  static final Duration LEEWAY = Duration.ofSeconds(30);
  static final String TICKET_CLAIM = "switchboard_ticket";
  static final String TICKET_ISSUER = "urn:switchboard:ticket";
  static final String TICKET_AUDIENCE = "urn:switchboard:connect";
  static final Duration MAX_TICKET_LIFETIME = Duration.ofSeconds(30);
  private static final String TICKET_KEY_LABEL = "switchboard connect ticket key v1";

  /** A userId that only server-side senders have (see {@code Caller.SERVER_SENDER_PREFIX}). */
  private static final String RESERVED_SUB_PREFIX = "api:";

  private final MACVerifier verifier;
  private final MACVerifier ticketVerifier;
  private final MACSigner ticketSigner;
  private final Optional<String> issuer;
  private final Clock clock;

  /** A verified ticket: who, and the id and expiry that make it one-use. */
  public record Ticket(Identity identity, String id, long expiresAtMillis) {}

  public Jwts(byte[] secret, Optional<String> issuer, Clock clock) {
    try {
      this.verifier = new MACVerifier(secret);
      byte[] ticketKey = ticketKey(secret);
      this.ticketVerifier = new MACVerifier(ticketKey);
      this.ticketSigner = new MACSigner(ticketKey);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("Unusable JWT secret: " + e.getMessage(), e);
    }
    this.issuer = issuer;
    this.clock = clock;
  }

  /** The tickets' own key: HMAC-SHA256(secret, label), 256 bits. */
  private static byte[] ticketKey(byte[] secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(TICKET_KEY_LABEL.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /**
   * A user's token: its identity, or {@link InvalidTokenException}.
   *
   * @param requireExpiry whether a token without {@code exp} is refused (tokens in URLs must end)
   */
  public Identity verifyToken(String token, boolean requireExpiry) {
    JWTClaimsSet claims = verified(token, verifier);
    if (claims.getClaim(TICKET_CLAIM) != null) {
      throw new InvalidTokenException("a ticket is not a token");
    }
    if (requireExpiry && claims.getExpirationTime() == null) {
      throw new InvalidTokenException("no exp (required for a token in a URL)");
    }
    if (issuer.isPresent() && !issuer.get().equals(claims.getIssuer())) {
      throw new InvalidTokenException("wrong issuer");
    }
    return identity(claims);
  }

  /** Makes a one-use ticket for the identity, valid for {@code lifetime} (at most 30 s). */
  public String mintTicket(Identity identity, Duration lifetime) {
    if (lifetime.compareTo(MAX_TICKET_LIFETIME) > 0) {
      throw new IllegalArgumentException("A ticket lives at most " + MAX_TICKET_LIFETIME);
    }
    long now = clock.millis();
    Date expiry = new Date(now + lifetime.toMillis());
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(TICKET_ISSUER)
            .audience(TICKET_AUDIENCE)
            .issueTime(new Date(now))
            .subject(identity.userId())
            .claim("name", identity.user())
            .claim("rooms", List.copyOf(identity.rooms()))
            .claim("roles", List.copyOf(identity.roles()))
            .claim(TICKET_CLAIM, true)
            .jwtID(UUID.randomUUID().toString())
            .expirationTime(expiry)
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(ticketSigner);
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign a ticket", e);
    }
    return jwt.serialize();
  }

  /** A ticket made by {@link #mintTicket}: its identity, id and expiry (not yet redeemed). */
  public Ticket verifyTicket(String ticket) {
    JWTClaimsSet claims = verified(ticket, ticketVerifier);
    if (!Boolean.TRUE.equals(claims.getClaim(TICKET_CLAIM))
        || claims.getJWTID() == null
        || claims.getExpirationTime() == null
        || !TICKET_ISSUER.equals(claims.getIssuer())
        || claims.getAudience() == null
        || !claims.getAudience().equals(List.of(TICKET_AUDIENCE))) {
      throw new InvalidTokenException("not a ticket");
    }
    long now = clock.millis();
    long expires = claims.getExpirationTime().getTime();
    if (expires <= now) {
      throw new InvalidTokenException("expired ticket"); // tickets get no leeway
    }
    if (expires > now + MAX_TICKET_LIFETIME.toMillis()) {
      throw new InvalidTokenException("a ticket that lives longer than 30 s");
    }
    return new Ticket(identity(claims), claims.getJWTID(), claims.getExpirationTime().getTime());
  }

  private JWTClaimsSet verified(String token, MACVerifier verifier) {
    if (token == null || token.isBlank() || token.length() > 8192) {
      throw new InvalidTokenException("malformed");
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token.trim());
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
        throw new InvalidTokenException("algorithm not accepted");
      }
      if (!jwt.verify(verifier)) {
        throw new InvalidTokenException("bad signature");
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      long now = clock.millis();
      Date expiry = claims.getExpirationTime();
      if (expiry != null && now > expiry.getTime() + LEEWAY.toMillis()) {
        throw new InvalidTokenException("expired");
      }
      Date notBefore = claims.getNotBeforeTime();
      if (notBefore != null && now < notBefore.getTime() - LEEWAY.toMillis()) {
        throw new InvalidTokenException("not yet valid");
      }
      return claims;
    } catch (ParseException | JOSEException | IllegalStateException e) {
      throw new InvalidTokenException("malformed");
    }
  }

  private static Identity identity(JWTClaimsSet claims) {
    try {
      String sub = claims.getSubject();
      if (sub == null
          || sub.isBlank()
          || sub.length() > 256
          || sub.startsWith(RESERVED_SUB_PREFIX)
          || sub.codePoints().anyMatch(Character::isISOControl)) {
        throw new InvalidTokenException("no usable sub");
      }
      String name = claims.getStringClaim("name");
      String user = name == null ? sub : name;
      user = Names.displayName(user).orElse(null);
      if (user == null) {
        throw new InvalidTokenException("no usable name");
      }
      List<String> rooms = stringOrList(claims, "rooms");
      List<String> roles = stringOrList(claims, "roles");
      Set<String> roomSet = new HashSet<>(rooms == null ? List.of("*") : rooms);
      Set<String> roleSet = new HashSet<>(roles == null ? List.of() : roles);
      roomSet.remove(null);
      roleSet.remove(null);
      return new Identity(user, sub, roomSet, roleSet);
    } catch (ParseException | IllegalArgumentException e) {
      throw new InvalidTokenException("bad claims");
    }
  }

  /** A claim written as a list of strings or as one string ({@code "roles":"reader"}). */
  private static List<String> stringOrList(JWTClaimsSet claims, String name) throws ParseException {
    Object value = claims.getClaim(name);
    if (value == null) {
      return null;
    }
    if (value instanceof String single) {
      return List.of(single);
    }
    return claims.getStringListClaim(name);
  }

  /** The token or ticket cannot be accepted; the reason is for logs at FINE, never for clients. */
  public static final class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String reason) {
      super(reason, null, false, false);
    }
  }
}
