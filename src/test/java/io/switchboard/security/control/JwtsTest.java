package io.switchboard.security.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
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

class JwtsTest {

  static final byte[] SECRET =
      "a-test-secret-that-is-long-enough-for-hs256!".getBytes(StandardCharsets.UTF_8);
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  private final Jwts jwts = new Jwts(SECRET, Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));

  private static String sign(JWTClaimsSet claims, byte[] key) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(key));
    return jwt.serialize();
  }

  private static JWTClaimsSet.Builder claims(String sub) {
    return new JWTClaimsSet.Builder()
        .subject(sub)
        .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))));
  }

  @Test
  void rolesAndRoomsMayBeASingleString() throws Exception {
    Identity identity =
        jwts.verifyToken(
            sign(claims("u").claim("roles", "publisher").claim("rooms", "team-*").build(), SECRET),
            false);
    assertThat(identity.roles()).containsExactly("publisher");
    assertThat(identity.mayJoin("team-a")).isTrue();
    assertThat(identity.mayJoin("other")).isFalse();
  }

  @Test
  void aTokenWithoutExpiryIsRefusedInAUrlOnly() throws Exception {
    String noExpiry = sign(new JWTClaimsSet.Builder().subject("u").build(), SECRET);
    assertThat(jwts.verifyToken(noExpiry, false).userId()).isEqualTo("u");
    assertThatThrownBy(() -> jwts.verifyToken(noExpiry, true))
        .isInstanceOf(Jwts.InvalidTokenException.class);
  }

  @Test
  void theServerSendersPrefixIsNoUsersId() throws Exception {
    assertThatThrownBy(() -> jwts.verifyToken(sign(claims("api:system").build(), SECRET), false))
        .isInstanceOf(Jwts.InvalidTokenException.class);
  }

  @Test
  void aTicketIsSignedWithADerivedKeyAndCarriesItsOwnIssuerAndAudience() throws Exception {
    String ticket =
        jwts.mintTicket(new Identity("Tina", "t-1", Set.of("*"), Set.of()), Duration.ofSeconds(30));
    SignedJWT parsed = SignedJWT.parse(ticket);
    assertThat(parsed.verify(new com.nimbusds.jose.crypto.MACVerifier(SECRET)))
        .as("not signed with the secret itself")
        .isFalse();
    assertThat(parsed.getJWTClaimsSet().getIssuer()).isEqualTo(Jwts.TICKET_ISSUER);
    assertThat(parsed.getJWTClaimsSet().getAudience()).containsExactly(Jwts.TICKET_AUDIENCE);
    assertThat(jwts.verifyTicket(ticket).identity().userId()).isEqualTo("t-1");
    assertThatThrownBy(() -> jwts.verifyToken(ticket, false))
        .as("a ticket is not a token")
        .isInstanceOf(Jwts.InvalidTokenException.class);
  }

  /** The ticket key as documented: HMAC-SHA256 of the secret over the label. */
  private static byte[] ticketKey() throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
    return mac.doFinal("switchboard connect ticket key v1".getBytes(StandardCharsets.UTF_8));
  }

  private static JWTClaimsSet.Builder ticketClaims(long lifetimeSeconds) {
    return claims("t-1")
        .issuer(Jwts.TICKET_ISSUER)
        .audience(Jwts.TICKET_AUDIENCE)
        .jwtID("j-1")
        .claim(Jwts.TICKET_CLAIM, true)
        .expirationTime(Date.from(NOW.plusSeconds(lifetimeSeconds)));
  }

  @Test
  void aTicketNeedsTheTicketKeyItsIssuerAndAudienceAndAtMost30Seconds() throws Exception {
    assertThat(jwts.verifyTicket(sign(ticketClaims(20).build(), ticketKey())).id())
        .as("a well-made ticket")
        .isEqualTo("j-1");
    assertThatThrownBy(() -> jwts.verifyTicket(sign(ticketClaims(20).build(), SECRET)))
        .as("signed with the secret itself")
        .isInstanceOf(Jwts.InvalidTokenException.class);
    assertThatThrownBy(() -> jwts.verifyTicket(sign(ticketClaims(31).build(), ticketKey())))
        .as("living longer than 30 s")
        .isInstanceOf(Jwts.InvalidTokenException.class);
    assertThatThrownBy(
            () -> jwts.verifyTicket(sign(ticketClaims(20).issuer("other").build(), ticketKey())))
        .as("another issuer")
        .isInstanceOf(Jwts.InvalidTokenException.class);
    assertThatThrownBy(
            () -> jwts.verifyTicket(sign(ticketClaims(20).audience("other").build(), ticketKey())))
        .as("another audience")
        .isInstanceOf(Jwts.InvalidTokenException.class);
    assertThatThrownBy(
            () ->
                jwts.mintTicket(new Identity("T", "t", Set.of(), Set.of()), Duration.ofMinutes(5)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
