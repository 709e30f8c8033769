package io.switchboard.security.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JWKS cache against a real local HTTP server that answers, fails, or hangs. */
class RemoteKeysTest {

  private HttpServer server;
  private final AtomicReference<String> body = new AtomicReference<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile CountDownLatch hold = new CountDownLatch(0);
  private RemoteKeys keys;

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext(
        "/jwks",
        exchange -> {
          fetches.incrementAndGet();
          try {
            hold.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status.get(), bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    hold.countDown();
    if (keys != null) {
      keys.close();
    }
    server.stop(0);
  }

  private static JWK rsa(String kid) throws Exception {
    return new RSAKeyGenerator(2048).keyID(kid).generate().toPublicJWK();
  }

  private void publish(JWK... jwks) {
    body.set(new JWKSet(List.of(jwks)).toString());
  }

  private RemoteKeys keys(Duration minRefresh) {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    keys = new RemoteKeys(uri, Duration.ofMinutes(10), minRefresh);
    keys.start();
    return keys;
  }

  private static List<String> kids(List<JWK> set) {
    return set.stream().map(JWK::getKeyID).toList();
  }

  @Test
  void anUnknownKidFetchesAgainAtMostOncePerMinRefresh() throws Exception {
    publish(rsa("a"));
    RemoteKeys keys = keys(Duration.ofSeconds(30));
    assertThat(kids(keys.keysFor("a"))).containsExactly("a");
    assertThat(fetches.get()).isEqualTo(1);
    publish(rsa("a"), rsa("b"));
    // The start's fetch was just now: within min-refresh, an unknown kid is just unknown.
    assertThat(kids(keys.keysFor("b"))).containsExactly("a");
    assertThat(fetches.get()).isEqualTo(1);
  }

  @Test
  void aRotatedKeyIsFetchedAndTheLastGoodSetSurvivesAFailingProvider() throws Exception {
    publish(rsa("a"));
    RemoteKeys keys = keys(Duration.ZERO);
    publish(rsa("a"), rsa("b"));
    assertThat(kids(keys.keysFor("b"))).containsExactly("a", "b");

    status.set(500);
    assertThatThrownBy(() -> keys.keysFor("c"))
        .as("an unknown kid while the provider fails: no verdict")
        .isInstanceOf(RemoteKeys.KeysUnavailableException.class);
    assertThat(kids(keys.keysFor("b"))).as("the last good set").containsExactly("a", "b");

    status.set(200);
    body.set("{\"keys\":[]}");
    assertThatThrownBy(() -> keys.keysFor("c"))
        .as("an empty set is no set")
        .isInstanceOf(RemoteKeys.KeysUnavailableException.class);
    assertThat(kids(keys.keysFor("a"))).containsExactly("a", "b");

    publish(rsa("c"));
    assertThat(kids(keys.keysFor("c"))).containsExactly("c");
  }

  @Test
  void neverLoadedIsUnavailableNotInvalid() {
    status.set(503);
    body.set("down");
    RemoteKeys keys = keys(Duration.ZERO);
    assertThatThrownBy(() -> keys.keysFor("a"))
        .isInstanceOf(RemoteKeys.KeysUnavailableException.class);
    assertThatThrownBy(() -> keys.keysFor(null))
        .isInstanceOf(RemoteKeys.KeysUnavailableException.class);
  }

  @Test
  void aHangingProviderHoldsOneCallerNotEveryOne() throws Exception {
    publish(rsa("a"));
    RemoteKeys keys = keys(Duration.ZERO);
    hold = new CountDownLatch(1);
    CompletableFuture<List<JWK>> first = CompletableFuture.supplyAsync(() -> keys.keysFor("new"));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetches.get() == 2);

    long started = System.nanoTime();
    assertThatThrownBy(() -> keys.keysFor("other"))
        .isInstanceOf(RemoteKeys.KeysUnavailableException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("the second caller does not wait for the first one's fetch")
        .isLessThan(Duration.ofSeconds(1));
    assertThat(kids(keys.keysFor("a"))).as("known kids never wait").containsExactly("a");

    publish(rsa("a"), rsa("new"));
    hold.countDown();
    assertThat(kids(first.get(10, TimeUnit.SECONDS))).containsExactly("a", "new");
  }
}
