package io.switchboard.security.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.security.Identity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tokens and tickets, without a container. */
class JwtsTest {

  private static final byte[] SECRET =
      "a secret of at least thirty-two bytes!".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  private final Jwts jwts = new Jwts(SECRET, Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));

  private static String sign(JWSAlgorithm algorithm, byte[] key, JWTClaimsSet claims)
      throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
    jwt.sign(new MACSigner(key));
    return jwt.serialize();
  }

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .subject("u-1")
        .claim("name", "Alice")
        .expirationTime(Date.from(NOW.plusSeconds(600)));
  }

  @Test
  void aValidTokenGivesItsIdentityWithRoomsAndRolesAsListOrString() throws Exception {
    Identity who =
        jwts.verifyToken(
            sign(
                JWSAlgorithm.HS256,
                SECRET,
                claims().claim("rooms", "general").claim("roles", java.util.List.of("a")).build()),
            true);
    assertThat(who)
        .isEqualTo(
            new Identity("Alice", "u-1", Set.of("general"), Set.of("a"), NOW.plusSeconds(600)));
    Identity everywhere =
        jwts.verifyToken(sign(JWSAlgorithm.HS256, SECRET, claims().build()), true);
    assertThat(everywhere.rooms()).containsExactly("*");
  }

  @Test
  void onlyHs256WithTheSecretIsAccepted() throws Exception {
    byte[] longSecret = new byte[64];
    System.arraycopy(SECRET, 0, longSecret, 0, SECRET.length);
    assertThatThrownBy(
            () -> jwts.verifyToken(sign(JWSAlgorithm.HS512, longSecret, claims().build()), false))
        .isInstanceOf(Jwts.InvalidTokenException.class);
    byte[] other = "another secret of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () -> jwts.verifyToken(sign(JWSAlgorithm.HS256, other, claims().build()), false))
        .isInstanceOf(Jwts.InvalidTokenException.class);
    String none = new PlainJWT(claims().build()).serialize();
    assertThatThrownBy(() -> jwts.verifyToken(none, false))
        .isInstanceOf(Jwts.InvalidTokenException.class);
  }

  @Test
  void expiryAndNotBeforeHaveThirtySecondsOfLeeway() throws Exception {
    String justExpired =
        sign(
            JWSAlgorithm.HS256,
            SECRET,
            claims().expirationTime(Date.from(NOW.minusSeconds(20))).build());
    assertThat(jwts.verifyToken(justExpired, true).userId()).isEqualTo("u-1");
    String expired =
        sign(
            JWSAlgorithm.HS256,
            SECRET,
            claims().expirationTime(Date.from(NOW.minusSeconds(40))).build());
    assertThatThrownBy(() -> jwts.verifyToken(expired, true))
        .isInstanceOf(Jwts.InvalidTokenException.class);
    String notYet =
        sign(
            JWSAlgorithm.HS256,
            SECRET,
            claims().notBeforeTime(Date.from(NOW.plusSeconds(40))).build());
    assertThatThrownBy(() -> jwts.verifyToken(notYet, true))
        .isInstanceOf(Jwts.InvalidTokenException.class);
  }

  @Test
  void aTokenInAUrlMustExpireAndAReservedOrMissingSubjectIsRefused() throws Exception {
    String endless = sign(JWSAlgorithm.HS256, SECRET, claims().expirationTime(null).build());
    assertThat(jwts.verifyToken(endless, false).userId()).isEqualTo("u-1");
    assertThatThrownBy(() -> jwts.verifyToken(endless, true))
        .isInstanceOf(Jwts.InvalidTokenException.class);
    for (String sub : new String[] {"api:backend", " ", null}) {
      String token = sign(JWSAlgorithm.HS256, SECRET, claims().subject(sub).build());
      assertThatThrownBy(() -> jwts.verifyToken(token, false))
          .as("sub %s", sub)
          .isInstanceOf(Jwts.InvalidTokenException.class);
    }
  }

  @Test
  void aConfiguredIssuerIsRequired() throws Exception {
    Jwts strict = new Jwts(SECRET, Optional.of("idp"), Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(
            strict.verifyToken(
                sign(JWSAlgorithm.HS256, SECRET, claims().issuer("idp").build()), true))
        .isNotNull();
    assertThatThrownBy(
            () ->
                strict.verifyToken(
                    sign(JWSAlgorithm.HS256, SECRET, claims().issuer("other").build()), true))
        .isInstanceOf(Jwts.InvalidTokenException.class);
  }

  @Test
  void aTicketIsNeverATokenNorATokenATicket() throws Exception {
    Identity alice = new Identity("Alice", "u-1", Set.of("general"), Set.of());
    String ticket = jwts.mintTicket(alice, Duration.ofSeconds(30));
    Jwts.Ticket verified = jwts.verifyTicket(ticket);
    assertThat(verified.identity()).isEqualTo(alice);
    assertThat(verified.expiresAtMillis()).isEqualTo(NOW.plusSeconds(30).toEpochMilli());
    assertThatThrownBy(() -> jwts.verifyToken(ticket, false))
        .as("a ticket used as a token")
        .isInstanceOf(Jwts.InvalidTokenException.class);
    String token = sign(JWSAlgorithm.HS256, SECRET, claims().build());
    assertThatThrownBy(() -> jwts.verifyTicket(token))
        .as("a token used as a ticket")
        .isInstanceOf(Jwts.InvalidTokenException.class);
    assertThatThrownBy(() -> jwts.mintTicket(alice, Duration.ofSeconds(31)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTicketExpiresWithoutLeeway() {
    Identity alice = new Identity("Alice", "u-1", Set.of(), Set.of());
    String ticket = jwts.mintTicket(alice, Duration.ofSeconds(5));
    Jwts later =
        new Jwts(SECRET, Optional.empty(), Clock.fixed(NOW.plusSeconds(5), ZoneOffset.UTC));
    assertThatThrownBy(() -> later.verifyTicket(ticket))
        .isInstanceOf(Jwts.InvalidTokenException.class);
  }
}
