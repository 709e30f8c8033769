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
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Verifies users' HS256 tokens and makes and verifies one-use connect tickets, with Nimbus JOSE.
 *
 * <p>Only HS256 is accepted ({@code alg: none}, HS512 and every other algorithm are refused);
 * {@code sub} is required; {@code exp} and {@code nbf} are enforced with 30 s of leeway; {@code
 * iss} is checked when an issuer is configured. A ticket is a short-lived token of the same secret,
 * marked as a ticket, so that neither can be used as the other.
 */
public final class Jwts {

  static final Duration LEEWAY = Duration.ofSeconds(30);
  static final String TICKET_CLAIM = "switchboard_ticket";

  private final MACVerifier verifier;
  private final MACSigner signer;
  private final Optional<String> issuer;
  private final Clock clock;

  /** A verified ticket: who, and the id and expiry that make it one-use. */
  public record Ticket(Identity identity, String id, long expiresAtMillis) {}

  public Jwts(byte[] secret, Optional<String> issuer, Clock clock) {
    try {
      this.verifier = new MACVerifier(secret);
      this.signer = new MACSigner(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("Unusable JWT secret: " + e.getMessage(), e);
    }
    this.issuer = issuer;
    this.clock = clock;
  }

  /** A user's token: its identity, or {@link InvalidTokenException}. */
  public Identity verifyToken(String token) {
    JWTClaimsSet claims = verified(token);
    if (claims.getClaim(TICKET_CLAIM) != null) {
      throw new InvalidTokenException("a ticket is not a token");
    }
    if (issuer.isPresent() && !issuer.get().equals(claims.getIssuer())) {
      throw new InvalidTokenException("wrong issuer");
    }
    return identity(claims);
  }

  /** Makes a one-use ticket for the identity, valid for {@code lifetime}. */
  public String mintTicket(Identity identity, Duration lifetime) {
    Date expiry = new Date(clock.millis() + lifetime.toMillis());
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
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
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign a ticket", e);
    }
    return jwt.serialize();
  }

  /** A ticket made by {@link #mintTicket}: its identity, id and expiry (not yet redeemed). */
  public Ticket verifyTicket(String ticket) {
    JWTClaimsSet claims = verified(ticket);
    if (!Boolean.TRUE.equals(claims.getClaim(TICKET_CLAIM))
        || claims.getJWTID() == null
        || claims.getExpirationTime() == null) {
      throw new InvalidTokenException("not a ticket");
    }
    if (claims.getExpirationTime().getTime() <= clock.millis()) {
      throw new InvalidTokenException("expired ticket"); // tickets get no leeway
    }
    return new Ticket(identity(claims), claims.getJWTID(), claims.getExpirationTime().getTime());
  }

  private JWTClaimsSet verified(String token) {
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
          || sub.codePoints().anyMatch(Character::isISOControl)) {
        throw new InvalidTokenException("no usable sub");
      }
      String name = claims.getStringClaim("name");
      String user = name == null ? sub : name;
      user = Names.displayName(user).orElse(null);
      if (user == null) {
        throw new InvalidTokenException("no usable name");
      }
      List<String> rooms = claims.getStringListClaim("rooms");
      List<String> roles = claims.getStringListClaim("roles");
      Set<String> roomSet = new HashSet<>(rooms == null ? List.of("*") : rooms);
      Set<String> roleSet = new HashSet<>(roles == null ? List.of() : roles);
      roomSet.remove(null);
      roleSet.remove(null);
      return new Identity(user, sub, roomSet, roleSet);
    } catch (ParseException | IllegalArgumentException e) {
      throw new InvalidTokenException("bad claims");
    }
  }

  /** The token or ticket cannot be accepted; the reason is for logs at FINE, never for clients. */
  public static final class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String reason) {
      super(reason, null, false, false);
    }
  }
}
