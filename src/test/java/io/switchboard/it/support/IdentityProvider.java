package io.switchboard.it.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stand-in for an identity provider: keys made here, published as a JWKS by a local HTTP server
 * on loopback, and tokens signed with them. The server can be stopped and started on its port.
 */
public final class IdentityProvider implements AutoCloseable {

  public static final String ISSUER = "https://idp.test/realms/acme";
  public static final String AUDIENCE = "switchboard";

  private final int port;
  private final List<JWK> published = new CopyOnWriteArrayList<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private HttpServer server;

  private IdentityProvider(int port) {
    this.port = port;
  }

  /** A provider on a free port, serving. */
  public static IdentityProvider start() throws IOException {
    IdentityProvider idp = new IdentityProvider(RedisProcess.freePort());
    idp.serve();
    return idp;
  }

  /** A provider on a free port that does not answer yet ({@link #serve}). */
  public static IdentityProvider down() throws IOException {
    return new IdentityProvider(RedisProcess.freePort());
  }

  public static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** From now on the JWKS holds exactly these keys (their public halves). */
  public void publish(JWK... keys) {
    List<JWK> publics = new ArrayList<>();
    for (JWK key : keys) {
      publics.add(key.toPublicJWK());
    }
    published.clear();
    published.addAll(publics);
  }

  public synchronized void serve() throws IOException {
    if (server != null) {
      return;
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext(
        "/jwks",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body =
              new JWKSet(List.copyOf(published)).toString(true).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  /** Stops answering (connections are refused). */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  public String jwksUrl() {
    return "http://127.0.0.1:" + port + "/jwks";
  }

  /** How many times the JWKS was fetched. */
  public int fetches() {
    return fetches.get();
  }

  /** The claims a provider puts in every token: sub, iss, aud, exp in an hour. */
  public static JWTClaimsSet.Builder claims(String sub) {
    return new JWTClaimsSet.Builder()
        .subject(sub)
        .issuer(ISSUER)
        .audience(List.of(AUDIENCE, "account"))
        .expirationTime(new Date(System.currentTimeMillis() + 3_600_000));
  }

  /** A token signed with the key (RS256 for RSA, ES256 for EC), its kid in the header. */
  public static String sign(JWK key, JWTClaimsSet claims) {
    try {
      JWSAlgorithm algorithm = key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
      JWSSigner signer =
          key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(algorithm)
                  .keyID(key.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@link #sign} with the provider's usual claims, changed by {@code edit}. */
  public static String token(JWK key, String sub, Consumer<JWTClaimsSet.Builder> edit) {
    JWTClaimsSet.Builder claims = claims(sub);
    edit.accept(claims);
    return sign(key, claims.build());
  }

  /** Keycloak's way of writing realm roles. */
  public static Map<String, Object> realmRoles(String... roles) {
    return Map.of("roles", List.of(roles));
  }

  @Override
  public void close() {
    stop();
  }
}
