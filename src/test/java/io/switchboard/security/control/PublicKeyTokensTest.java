package io.switchboard.security.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.security.Identity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tokens signed with identity providers' keys, and the claims as they write them. */
class PublicKeyTokensTest {

  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final byte[] SECRET =
      "a secret of at least thirty-two bytes!".getBytes(StandardCharsets.UTF_8);

  private static final RSAKey RSA = generate(() -> new RSAKeyGenerator(2048).keyID("rsa-1"));
  private static final ECKey P256 = generate(() -> new ECKeyGenerator(Curve.P_256).keyID("ec-1"));
  private static final ECKey P384 = generate(() -> new ECKeyGenerator(Curve.P_384).keyID("ec-2"));

  interface Generator<K> {
    Object make() throws Exception;
  }

  @SuppressWarnings("unchecked")
  private static <K> K generate(Generator<K> generator) {
    try {
      Object g = generator.make();
      return g instanceof RSAKeyGenerator r
          ? (K) r.generate()
          : (K) ((ECKeyGenerator) g).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<JWK> publicKeys() {
    return List.of(RSA.toPublicJWK(), P256.toPublicJWK(), P384.toPublicJWK());
  }

  private static Jwts jwts(TokenPolicy policy, Optional<byte[]> secret) {
    return new Jwts(secret, publicKeys(), null, Jwts.ticketKey(SECRET), policy, CLOCK);
  }

  private static final Jwts JWTS = jwts(TokenPolicy.defaults(Optional.empty()), Optional.empty());

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .subject("u-1")
        .expirationTime(Date.from(NOW.plusSeconds(600)));
  }

  static String sign(JWSAlgorithm algorithm, String kid, JWSSigner signer, JWTClaimsSet claims)
      throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(algorithm).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  @Test
  void everyAsymmetricAlgorithmIsVerifiedWithItsKey() throws Exception {
    for (JWSAlgorithm alg :
        List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256)) {
      String token = sign(alg, "rsa-1", new RSASSASigner(RSA), claims().build());
      assertThat(JWTS.verifyToken(token, true).userId()).as(alg.getName()).isEqualTo("u-1");
    }
    assertThat(
            JWTS.verifyToken(
                    sign(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(P256), claims().build()), true)
                .userId())
        .isEqualTo("u-1");
    assertThat(
            JWTS.verifyToken(
                    sign(JWSAlgorithm.ES384, "ec-2", new ECDSASigner(P384), claims().build()), true)
                .userId())
        .isEqualTo("u-1");
    // Without a kid, the keys of the algorithm's kind are tried.
    assertThat(
            JWTS.verifyToken(
                    sign(JWSAlgorithm.RS256, null, new RSASSASigner(RSA), claims().build()), true)
                .userId())
        .isEqualTo("u-1");
  }

  @Test
  void algorithmConfusionIsRefused() throws Exception {
    // HS256 signed with the bytes of the RSA public key, as if it were a shared secret.
    byte[] publicBytes = RSA.toRSAPublicKey().getEncoded();
    String confused =
        sign(JWSAlgorithm.HS256, "rsa-1", new MACSigner(publicBytes), claims().build());
    assertThatThrownBy(() -> JWTS.verifyToken(confused, true))
        .as("HS256 without a secret configured")
        .isInstanceOf(Jwts.InvalidTokenException.class);
    Jwts withSecret = jwts(TokenPolicy.defaults(Optional.empty()), Optional.of(SECRET));
    assertThatThrownBy(() -> withSecret.verifyToken(confused, true))
        .as("HS256 is checked with the secret only, never with a public key")
        .isInstanceOf(Jwts.InvalidTokenException.class);
    // The PEM text of the public key as an HMAC secret.
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(publicBytes)
            + "\n-----END PUBLIC KEY-----\n";
    String pemConfused =
        sign(
            JWSAlgorithm.HS256,
            null,
            new MACSigner(pem.getBytes(StandardCharsets.US_ASCII)),
            claims().build());
    assertThatThrownBy(() -> withSecret.verifyToken(pemConfused, true))
        .isInstanceOf(Jwts.InvalidTokenException.class);
    // alg: none
    assertThatThrownBy(() -> JWTS.verifyToken(new PlainJWT(claims().build()).serialize(), true))
        .isInstanceOf(Jwts.InvalidTokenException.class);
    // An EC signature under the RSA key's kid, and an RSA one under the EC key's.
    String ecUnderRsaKid =
        sign(JWSAlgorithm.ES256, "rsa-1", new ECDSASigner(P256), claims().build());
    assertThatThrownBy(() -> JWTS.verifyToken(ecUnderRsaKid, true))
        .isInstanceOf(Jwts.InvalidTokenException.class);
    String rsaUnderEcKid =
        sign(JWSAlgorithm.RS256, "ec-1", new RSASSASigner(RSA), claims().build());
    assertThatThrownBy(() -> JWTS.verifyToken(rsaUnderEcKid, true))
        .isInstanceOf(Jwts.InvalidTokenException.class);
    // ES384 with the P-256 key's kid; an unknown kid.
    String wrongCurve = sign(JWSAlgorithm.ES384, "ec-1", new ECDSASigner(P384), claims().build());
    assertThatThrownBy(() -> JWTS.verifyToken(wrongCurve, true))
        .isInstanceOf(Jwts.InvalidTokenException.class);
    String unknownKid = sign(JWSAlgorithm.RS256, "nobody", new RSASSASigner(RSA), claims().build());
    assertThatThrownBy(() -> JWTS.verifyToken(unknownKid, true))
        .isInstanceOf(Jwts.InvalidTokenException.class);
    // Signed by another RSA key under the right kid.
    RSAKey other = new RSAKeyGenerator(2048).generate();
    String forged = sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(other), claims().build());
    assertThatThrownBy(() -> JWTS.verifyToken(forged, true))
        .isInstanceOf(Jwts.InvalidTokenException.class);
  }

  @Test
  void aKeyThatNamesItsAlgorithmVerifiesOnlyThatOneAndTheAllowedListHolds() throws Exception {
    RSAKey rs256Only =
        new RSAKey.Builder(RSA.toRSAPublicKey())
            .keyID("pinned")
            .algorithm(JWSAlgorithm.RS256)
            .build();
    Jwts pinned =
        new Jwts(
            Optional.empty(),
            List.of(rs256Only),
            null,
            Jwts.ticketKey(SECRET),
            TokenPolicy.defaults(Optional.empty()),
            CLOCK);
    assertThat(
            pinned.verifyToken(
                sign(JWSAlgorithm.RS256, "pinned", new RSASSASigner(RSA), claims().build()), true))
        .isNotNull();
    String ps = sign(JWSAlgorithm.PS256, "pinned", new RSASSASigner(RSA), claims().build());
    assertThatThrownBy(() -> pinned.verifyToken(ps, true))
        .isInstanceOf(Jwts.InvalidTokenException.class);

    TokenPolicy esOnly =
        new TokenPolicy(
            Optional.empty(),
            List.of(),
            Duration.ofSeconds(30),
            Set.of(JWSAlgorithm.ES256),
            List.of("roles"),
            "rooms");
    String rs = sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(RSA), claims().build());
    assertThatThrownBy(() -> jwts(esOnly, Optional.empty()).verifyToken(rs, true))
        .isInstanceOf(Jwts.InvalidTokenException.class);
  }

  @Test
  void issuerAndAudienceAreCheckedWhenConfigured() throws Exception {
    TokenPolicy strict =
        new TokenPolicy(
            Optional.of("https://idp.test/realms/acme"),
            List.of("switchboard", "chat"),
            Duration.ofSeconds(30),
            TokenPolicy.ASYMMETRIC,
            List.of("roles"),
            "rooms");
    Jwts jwts = jwts(strict, Optional.empty());
    RSASSASigner signer = new RSASSASigner(RSA);
    String good =
        sign(
            JWSAlgorithm.RS256,
            "rsa-1",
            signer,
            claims()
                .issuer("https://idp.test/realms/acme")
                .audience(List.of("account", "chat"))
                .build());
    assertThat(jwts.verifyToken(good, true)).isNotNull();
    for (JWTClaimsSet bad :
        List.of(
            claims().issuer("https://idp.test/realms/acme").audience("account").build(),
            claims().issuer("https://idp.test/realms/acme").build(),
            claims().issuer("https://evil.test").audience("chat").build(),
            claims().audience("chat").build())) {
      String token = sign(JWSAlgorithm.RS256, "rsa-1", signer, bad);
      assertThatThrownBy(() -> jwts.verifyToken(token, true))
          .as(bad.toString())
          .isInstanceOf(Jwts.InvalidTokenException.class);
    }
  }

  @Test
  void claimsAreReadAsIdentityProvidersWriteThem() throws Exception {
    RSASSASigner signer = new RSASSASigner(RSA);
    TokenPolicy keycloak =
        new TokenPolicy(
            Optional.empty(),
            List.of(),
            Duration.ofSeconds(30),
            TokenPolicy.ASYMMETRIC,
            List.of("roles", "groups", "realm_access.roles"),
            "switchboard.rooms");
    Jwts jwts = jwts(keycloak, Optional.empty());

    assertThat(
            nameOf(jwts, claims().claim("name", "Alice Liddell").claim("preferred_username", "a")))
        .isEqualTo("Alice Liddell");
    assertThat(
            nameOf(
                jwts,
                claims().claim("preferred_username", "alice").claim("upn", "alice@acme.test")))
        .isEqualTo("alice");
    assertThat(nameOf(jwts, claims().claim("upn", "alice@acme.test"))).isEqualTo("alice@acme.test");
    Identity bare =
        jwts.verifyToken(sign(JWSAlgorithm.RS256, "rsa-1", signer, claims().build()), true);
    assertThat(bare.user()).isEqualTo("u-1");
    // A name too long for display is passed over; a sub that long is cut for display only.
    String longSub = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA0";
    Identity entra =
        jwts.verifyToken(
            sign(
                JWSAlgorithm.RS256,
                "rsa-1",
                signer,
                claims().subject(longSub).claim("name", "N".repeat(40)).build()),
            true);
    assertThat(entra.userId()).isEqualTo(longSub);
    assertThat(entra.user()).isEqualTo(longSub.substring(0, 32));

    Identity roles =
        jwts.verifyToken(
            sign(
                JWSAlgorithm.RS256,
                "rsa-1",
                signer,
                claims()
                    .claim("groups", "editors")
                    .claim("realm_access", Map.of("roles", List.of("publisher", "offline_access")))
                    .claim("switchboard", Map.of("rooms", List.of("team-*")))
                    .build()),
            true);
    assertThat(roles.roles()).containsExactlyInAnyOrder("editors", "publisher", "offline_access");
    assertThat(roles.rooms()).containsExactly("team-*");
    assertThat(roles.expires()).isEqualTo(NOW.plusSeconds(600));

    String numberRoles =
        sign(JWSAlgorithm.RS256, "rsa-1", signer, claims().claim("roles", 42).build());
    assertThatThrownBy(() -> jwts.verifyToken(numberRoles, true))
        .isInstanceOf(Jwts.InvalidTokenException.class);
  }

  private static String nameOf(Jwts jwts, JWTClaimsSet.Builder claims) throws Exception {
    return jwts.verifyToken(
            sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(RSA), claims.build()), true)
        .user();
  }

  @Test
  void aTicketCarriesTheExpiryOfTheTokenItWasMadeFrom() throws Exception {
    Identity alice =
        JWTS.verifyToken(
            sign(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(P256), claims().build()), true);
    Jwts.Ticket ticket = JWTS.verifyTicket(JWTS.mintTicket(alice, Duration.ofSeconds(30)));
    assertThat(ticket.identity().expires()).isEqualTo(NOW.plusSeconds(600));
    assertThat(ticket.identity().userId()).isEqualTo("u-1");
  }

  @Test
  void keysAreReadFromPemJwkAndJwksButNeverPrivateOrWeakOnes() throws Exception {
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(P256.toECPublicKey().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    assertThat(PublicKeys.parse(pem)).hasSize(1);
    assertThat(
            PublicKeys.parse(Base64.getEncoder().encodeToString(RSA.toRSAPublicKey().getEncoded())))
        .hasSize(1);
    assertThat(PublicKeys.parse(RSA.toPublicJWK().toJSONString())).hasSize(1);
    assertThat(
            PublicKeys.parse(
                "{\"keys\":["
                    + RSA.toPublicJWK().toJSONString()
                    + ","
                    + P384.toPublicJWK().toJSONString()
                    + "]}"))
        .hasSize(2);
    assertThatThrownBy(() -> PublicKeys.parse(RSA.toJSONString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("private");
    RSAKey weak = new RSAKeyGenerator(1024, true).generate();
    assertThatThrownBy(() -> PublicKeys.parse(weak.toPublicJWK().toJSONString()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PublicKeys.parse("not a key at all!"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
