package io.switchboard.it.support;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;

/** Mints JWTs for tests, good and bad. */
public final class Tokens {

  public static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256!";

  private final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
  private JWSAlgorithm algorithm = JWSAlgorithm.HS256;
  private String secret = SECRET;

  private Tokens() {}

  /** A valid token for {@code sub}, expiring in an hour. */
  public static Tokens user(String sub) {
    Tokens tokens = new Tokens();
    tokens.claims.subject(sub).expirationTime(new Date(System.currentTimeMillis() + 3_600_000));
    return tokens;
  }

  public Tokens name(String name) {
    claims.claim("name", name);
    return this;
  }

  public Tokens rooms(String... rooms) {
    claims.claim("rooms", List.of(rooms));
    return this;
  }

  public Tokens roles(String... roles) {
    claims.claim("roles", List.of(roles));
    return this;
  }

  public Tokens issuer(String issuer) {
    claims.issuer(issuer);
    return this;
  }

  public Tokens expiresInSeconds(long seconds) {
    claims.expirationTime(new Date(System.currentTimeMillis() + seconds * 1000));
    return this;
  }

  public Tokens notBeforeInSeconds(long seconds) {
    claims.notBeforeTime(new Date(System.currentTimeMillis() + seconds * 1000));
    return this;
  }

  public Tokens noSubject() {
    claims.subject(null);
    return this;
  }

  public Tokens claim(String name, Object value) {
    claims.claim(name, value);
    return this;
  }

  public Tokens signedWith(String otherSecret) {
    this.secret = otherSecret;
    return this;
  }

  public Tokens algorithm(JWSAlgorithm algorithm) {
    this.algorithm = algorithm;
    return this;
  }

  public String build() {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims.build());
      byte[] key = secret.getBytes(StandardCharsets.UTF_8);
      if (algorithm == JWSAlgorithm.HS512 && key.length < 64) {
        key = (secret + secret).getBytes(StandardCharsets.UTF_8);
      }
      jwt.sign(new MACSigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same claims, unsigned ({@code alg: none}). */
  public String unsigned() {
    return new PlainJWT(claims.build()).serialize();
  }
}
