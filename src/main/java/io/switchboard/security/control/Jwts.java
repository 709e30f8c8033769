package io.switchboard.security.control;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.security.Identity;
import io.switchboard.security.Names;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies users' tokens and makes and verifies one-use connect tickets, with Nimbus JOSE.
 *
 * <p>A token is HS256 with the shared secret, or RS256/384/512, PS256, ES256/384 with a public key
 * (a PEM, a JWK or an identity provider's JWKS), picked by {@code kid}. Each algorithm is verified
 * only with a key of its own kind: an HS256 token only with the secret (never with the bytes of a
 * public key), an RSA algorithm only with an RSA key, ES256 only with a P-256 key and ES384 only
 * with a P-384 key, and a JWK that names its {@code alg} only for that algorithm; {@code alg: none}
 * and every other algorithm are refused. {@code sub} is required; {@code exp} and {@code nbf} are
 * enforced with the policy's leeway; {@code iss} and {@code aud} are checked when configured.
 * Claims are read as identity providers write them ({@link #identity}).
 *
 * <p>A ticket is signed with its own key (derived from the HS256 secret, or given, or made at
 * start) and carries an issuer and audience of its own and a lifetime of at most {@link
 * #MAX_TICKET_LIFETIME}: a token is never a ticket, a ticket is never a token, and a leaked ticket
 * is worth 30 seconds. It carries the expiry of the token it was made from.
 */
public final class Jwts {

  static final String TICKET_CLAIM = "switchboard_ticket";
  static final String TOKEN_EXPIRY_CLAIM = "switchboard_token_exp";
  static final String TICKET_ISSUER = "urn:switchboard:ticket";
  static final String TICKET_AUDIENCE = "urn:switchboard:connect";
  static final Duration MAX_TICKET_LIFETIME = Duration.ofSeconds(30);
  private static final String TICKET_KEY_LABEL = "switchboard connect ticket key v1";

  /** Without a {@code kid}, at most this many keys of the right kind are tried. */
  static final int MAX_KEYS_TRIED = 5;

  /** A userId that only server-side senders have (see {@code Caller.SERVER_SENDER_PREFIX}). */
  private static final String RESERVED_SUB_PREFIX = "api:";

  /** The claims a display name is taken from, in order. */
  static final List<String> NAME_CLAIMS = List.of("name", "preferred_username", "upn", "sub");

  private final MACVerifier secretVerifier;
  private final List<JWK> staticKeys;
  private final RemoteKeys remoteKeys;
  private final MACVerifier ticketVerifier;
  private final MACSigner ticketSigner;
  private final TokenPolicy policy;
  private final Clock clock;

  /** A verified ticket: who, and the id and expiry that make it one-use. */
  public record Ticket(Identity identity, String id, long expiresAtMillis) {}

  /** HS256 only, with the default policy (and the issuer, if any). */
  public Jwts(byte[] secret, Optional<String> issuer, Clock clock) {
    this(
        Optional.of(secret),
        List.of(),
        null,
        ticketKey(secret),
        TokenPolicy.defaults(issuer),
        clock);
  }

  /**
   * @param secret the HS256 secret, if HS256 tokens are accepted
   * @param publicKeys keys given in configuration (a PEM, JWK or JWKS)
   * @param remoteKeys an identity provider's JWKS, or null
   * @param ticketKey the key tickets are signed with (at least 32 bytes)
   */
  public Jwts(
      Optional<byte[]> secret,
      List<JWK> publicKeys,
      RemoteKeys remoteKeys,
      byte[] ticketKey,
      TokenPolicy policy,
      Clock clock) {
    try {
      this.secretVerifier = secret.isPresent() ? new MACVerifier(secret.get()) : null;
      this.ticketVerifier = new MACVerifier(ticketKey);
      this.ticketSigner = new MACSigner(ticketKey);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("Unusable JWT secret: " + e.getMessage(), e);
    }
    this.staticKeys = List.copyOf(publicKeys);
    this.remoteKeys = remoteKeys;
    this.policy = policy;
    this.clock = clock;
  }

  /** The tickets' key when an HS256 secret is configured: HMAC-SHA256(secret, label). */
  public static byte[] ticketKey(byte[] secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(TICKET_KEY_LABEL.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** The leeway of {@code exp}: a connection's credential is good until {@code exp} plus this. */
  public Duration clockSkew() {
    return policy.clockSkew();
  }

  /**
   * A user's token: its identity, or {@link InvalidTokenException}.
   *
   * @param requireExpiry whether a token without {@code exp} is refused (tokens in URLs must end)
   * @throws RemoteKeys.KeysUnavailableException when the identity provider's keys cannot be had
   */
  public Identity verifyToken(String token, boolean requireExpiry) {
    JWTClaimsSet claims = verified(token, this::userTokenVerifiers);
    if (claims.getClaim(TICKET_CLAIM) != null) {
      throw new InvalidTokenException("a ticket is not a token");
    }
    if (requireExpiry && claims.getExpirationTime() == null) {
      throw new InvalidTokenException("no exp (required for a token in a URL)");
    }
    if (policy.issuer().isPresent() && !policy.issuer().get().equals(claims.getIssuer())) {
      throw new InvalidTokenException("wrong issuer");
    }
    if (!policy.audiences().isEmpty()) {
      List<String> audience = claims.getAudience();
      if (audience == null || audience.stream().noneMatch(policy.audiences()::contains)) {
        throw new InvalidTokenException("wrong audience");
      }
    }
    Date expiry = claims.getExpirationTime();
    return identity(claims, policy, expiry == null ? null : expiry.toInstant());
  }

  /** Makes a one-use ticket for the identity, valid for {@code lifetime} (at most 30 s). */
  public String mintTicket(Identity identity, Duration lifetime) {
    if (lifetime.compareTo(MAX_TICKET_LIFETIME) > 0) {
      throw new IllegalArgumentException("A ticket lives at most " + MAX_TICKET_LIFETIME);
    }
    long now = clock.millis();
    Date expiry = new Date(now + lifetime.toMillis());
    JWTClaimsSet.Builder claims =
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
            .expirationTime(expiry);
    if (identity.expires() != null) {
      claims.claim(TOKEN_EXPIRY_CLAIM, identity.expires().getEpochSecond());
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
    try {
      jwt.sign(ticketSigner);
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign a ticket", e);
    }
    return jwt.serialize();
  }

  /** A ticket made by {@link #mintTicket}: its identity, id and expiry (not yet redeemed). */
  public Ticket verifyTicket(String ticket) {
    JWTClaimsSet claims = verified(ticket, this::ticketVerifiers);
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
    Instant tokenExpiry;
    try {
      Long seconds = claims.getLongClaim(TOKEN_EXPIRY_CLAIM);
      tokenExpiry = seconds == null ? null : Instant.ofEpochSecond(seconds);
    } catch (ParseException e) {
      throw new InvalidTokenException("bad claims");
    }
    TokenPolicy own =
        new TokenPolicy(
            Optional.empty(),
            List.of(),
            policy.clockSkew(),
            Set.of(),
            List.of("roles"),
            "rooms"); // a ticket's claims are written by mintTicket
    return new Ticket(identity(claims, own, tokenExpiry), claims.getJWTID(), expires);
  }

  /** The verifiers that may check a user's token, by its algorithm and {@code kid}. */
  private List<JWSVerifier> userTokenVerifiers(JWSHeader header) {
    JWSAlgorithm algorithm = header.getAlgorithm();
    if (JWSAlgorithm.HS256.equals(algorithm)) {
      if (secretVerifier == null) {
        throw new InvalidTokenException("HS256 is not accepted (no secret is configured)");
      }
      return List.of(secretVerifier);
    }
    if (!policy.publicKeyAlgorithms().contains(algorithm)) {
      throw new InvalidTokenException("algorithm not accepted");
    }
    String kid = header.getKeyID();
    List<JWK> keys = new ArrayList<>(staticKeys);
    if (remoteKeys != null && (kid == null || !hasKid(keys, kid))) {
      keys.addAll(remoteKeys.keysFor(kid));
    }
    List<JWSVerifier> verifiers = new ArrayList<>();
    for (JWK key : keys) {
      if ((kid == null || kid.equals(key.getKeyID())) && fits(key, algorithm)) {
        verifiers.add(verifier(key));
        if (verifiers.size() == MAX_KEYS_TRIED) {
          break;
        }
      }
    }
    if (verifiers.isEmpty()) {
      throw new InvalidTokenException(kid == null ? "no key fits" : "no key fits kid " + kid);
    }
    return verifiers;
  }

  private List<JWSVerifier> ticketVerifiers(JWSHeader header) {
    if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) {
      throw new InvalidTokenException("algorithm not accepted");
    }
    return List.of(ticketVerifier);
  }

  private static boolean hasKid(List<JWK> keys, String kid) {
    return keys.stream().anyMatch(k -> kid.equals(k.getKeyID()));
  }

  /** Whether a key may verify this algorithm: its kind, its curve, and its own {@code alg}. */
  static boolean fits(JWK key, JWSAlgorithm algorithm) {
    if (key.getAlgorithm() != null && !key.getAlgorithm().equals(algorithm)) {
      return false;
    }
    if (key instanceof RSAKey) {
      return JWSAlgorithm.Family.RSA.contains(algorithm);
    }
    if (key instanceof ECKey ec) {
      return (JWSAlgorithm.ES256.equals(algorithm) && Curve.P_256.equals(ec.getCurve()))
          || (JWSAlgorithm.ES384.equals(algorithm) && Curve.P_384.equals(ec.getCurve()));
    }
    return false;
  }

  private static JWSVerifier verifier(JWK key) {
    try {
      return key instanceof RSAKey rsa
          ? new RSASSAVerifier(rsa.toRSAPublicKey())
          : new ECDSAVerifier(((ECKey) key).toECPublicKey());
    } catch (JOSEException e) {
      throw new InvalidTokenException("an unusable key");
    }
  }

  /** How a token's header picks the verifiers to try. */
  @FunctionalInterface
  private interface Verifiers {
    List<JWSVerifier> of(JWSHeader header);
  }

  private JWTClaimsSet verified(String token, Verifiers verifiers) {
    if (token == null || token.isBlank() || token.length() > 8192) {
      throw new InvalidTokenException("malformed");
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token.trim());
      if (jwt.getHeader().getCriticalParams() != null) {
        throw new InvalidTokenException("critical header parameters are not understood");
      }
      boolean good = false;
      for (JWSVerifier verifier : verifiers.of(jwt.getHeader())) {
        if (jwt.verify(verifier)) {
          good = true;
          break;
        }
      }
      if (!good) {
        throw new InvalidTokenException("bad signature");
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      long now = clock.millis();
      long leeway = policy.clockSkew().toMillis();
      Date expiry = claims.getExpirationTime();
      if (expiry != null && now > expiry.getTime() + leeway) {
        throw new InvalidTokenException("expired");
      }
      Date notBefore = claims.getNotBeforeTime();
      if (notBefore != null && now < notBefore.getTime() - leeway) {
        throw new InvalidTokenException("not yet valid");
      }
      return claims;
    } catch (ParseException | JOSEException | IllegalStateException e) {
      throw new InvalidTokenException("malformed");
    }
  }

  /**
   * Who a token names: {@code sub} is the userId; the display name is the first of {@code name},
   * {@code preferred_username}, {@code upn} and {@code sub} that is a valid name (a {@code sub}
   * longer than a name may be is cut to 32 characters for display); the roles are the union of the
   * policy's roles claims; the rooms come from its rooms claim (absent: every room).
   */
  static Identity identity(JWTClaimsSet claims, TokenPolicy policy, Instant expires) {
    try {
      String sub = claims.getSubject();
      if (sub == null
          || sub.isBlank()
          || sub.length() > 256
          || sub.startsWith(RESERVED_SUB_PREFIX)
          || sub.codePoints().anyMatch(Character::isISOControl)) {
        throw new InvalidTokenException("no usable sub");
      }
      String user = displayName(claims);
      List<String> rooms = strings(claims, policy.roomsClaim());
      Set<String> roles = new LinkedHashSet<>();
      for (String claim : policy.rolesClaims()) {
        List<String> some = strings(claims, claim);
        if (some != null) {
          roles.addAll(some);
        }
      }
      Set<String> roomSet = new LinkedHashSet<>(rooms == null ? List.of("*") : rooms);
      return new Identity(user, sub, roomSet, roles, expires);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("bad claims");
    }
  }

  private static String displayName(JWTClaimsSet claims) {
    for (String claim : NAME_CLAIMS) {
      if (claims.getClaim(claim) instanceof String value) {
        try {
          Optional<String> name = Names.displayName(value);
          if (name.isPresent()) {
            return name.get();
          }
        } catch (IllegalArgumentException invalidHere) {
          // the next claim may do
        }
      }
    }
    String sub = claims.getSubject().strip();
    int end =
        sub.offsetByCodePoints(
            0, Math.min(Names.MAX_NAME_CODE_POINTS, sub.codePointCount(0, sub.length())));
    try {
      return Names.displayName(sub.substring(0, end))
          .orElseThrow(() -> new InvalidTokenException("no usable name"));
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("no usable name");
    }
  }

  /**
   * A claim, by name or dotted path ({@code realm_access.roles}), written as a list of strings or
   * as one string ({@code "roles":"reader"}); null when absent. Entries that are not strings are
   * left out.
   */
  static List<String> strings(JWTClaimsSet claims, String path) {
    Object value = claims.getClaim(path);
    if (value == null && path.contains(".")) {
      String[] parts = path.split("\\.");
      value = claims.getClaim(parts[0]);
      for (int i = 1; i < parts.length && value != null; i++) {
        value = value instanceof Map<?, ?> map ? map.get(parts[i]) : null;
      }
    }
    if (value == null) {
      return null;
    }
    if (value instanceof String single) {
      return List.of(single);
    }
    if (value instanceof Collection<?> list) {
      List<String> out = new ArrayList<>();
      for (Object item : list) {
        if (item instanceof String s) {
          out.add(s);
        }
      }
      return out;
    }
    throw new InvalidTokenException("claim " + path + " is neither a string nor a list");
  }

  /** The token or ticket cannot be accepted; the reason is for logs at FINE, never for clients. */
  public static final class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String reason) {
      super(reason, null, false, false);
    }
  }
}
