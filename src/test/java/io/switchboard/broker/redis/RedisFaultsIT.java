package io.switchboard.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.broker.BrokerUnavailableException;
import io.switchboard.broker.ChatDraft;
import io.switchboard.broker.HistoryLimits;
import io.switchboard.it.support.RedisProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** Redis as it goes wrong: a TLS certificate for another host, and a Redis out of memory. */
class RedisFaultsIT {

  private static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor();

  @TempDir static Path dir;
  private static Path trustStore;

  @BeforeAll
  static void certificates() throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=Test CA");
    certificate("right", "DNS:localhost,IP:127.0.0.1");
    certificate("wrong", "DNS:wrong.example");
    trustStore = dir.resolve("trust.p12");
    run(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-importcert",
            "-noprompt",
            "-alias",
            "ca",
            "-file",
            dir.resolve("ca.crt").toString(),
            "-keystore",
            trustStore.toString(),
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit"));
  }

  @AfterAll
  static void stop() {
    SCHEDULER.shutdownNow();
  }

  /** A server certificate signed by the test CA, for these subject alternative names. */
  private static void certificate(String name, String names) throws Exception {
    openssl(
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        "/CN=" + name);
    Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + names + "\n");
    openssl(
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        name + ".crt",
        "-days",
        "2",
        "-extfile",
        name + ".ext");
  }

  private static void openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    run(command);
  }

  private static void run(List<String> command) throws Exception {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(command + ": " + out).isZero();
  }

  private static RedisStore store(String url) {
    return new RedisStore(
        URI.create(url), new RedisStore.TrustStore(trustStore, "changeit".toCharArray()));
  }

  @Test
  void redissVerifiesThatTheCertificateNamesTheHost() throws Exception {
    try (RedisProcess right =
            RedisProcess.startTls(dir.resolve("right.crt"), dir.resolve("right.key"));
        RedisProcess wrong =
            RedisProcess.startTls(dir.resolve("wrong.crt"), dir.resolve("wrong.key"))) {
      try (RedisStore store = store("rediss://localhost:" + right.port())) {
        assertThat(store.ping()).as("a certificate for localhost, trusted").isTrue();
      }
      try (RedisStore store = store("rediss://localhost:" + wrong.port())) {
        assertThat(store.ping()).as("a trusted certificate for another host").isFalse();
      }
      // The same connection without the host name check succeeds: the refusal above is the check.
      SSLSocketFactory trusting = trustingFactory();
      try (Jedis unchecked =
          new Jedis(
              new HostAndPort("localhost", wrong.port()),
              DefaultJedisClientConfig.builder()
                  .ssl(true)
                  .sslSocketFactory(trusting)
                  .sslParameters(new javax.net.ssl.SSLParameters()) // no host name check
                  .build())) {
        assertThat(unchecked.ping()).isEqualTo("PONG");
      }
    }
  }

  /** Trusts the test CA, and checks no host name. */
  private static SSLSocketFactory trustingFactory() throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(trustStore)) {
      keys.load(in, "changeit".toCharArray());
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(keys);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context.getSocketFactory();
  }

  @Test
  void aRedisOutOfMemoryIsUnavailableAndLoggedOnceWithoutAStackTrace() throws Exception {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger log = Logger.getLogger(RedisStore.class.getName());
    log.addHandler(capture);
    try (RedisProcess redis = RedisProcess.start(List.of("--maxmemory-policy", "noeviction"));
        RedisStore store = new RedisStore(URI.create(redis.url()));
        RedisBroker broker =
            new RedisBroker(
                store,
                "oom:",
                HistoryLimits.counts(1000, 100, 100),
                3600,
                Clock.systemUTC(),
                Executors.defaultThreadFactory(),
                SCHEDULER,
                Runnable::run)) {
      await().atMost(Duration.ofSeconds(10)).until(broker::isAvailable);
      broker.publish(new ChatDraft("r", "before", "a", "a", "stored before"));
      String full = null;
      try (Jedis jedis = redis.client()) {
        for (int i = 0; i < 64; i++) {
          jedis.set("ballast:" + i, "x".repeat(128 * 1024)); // 8 MiB
        }
        jedis.configSet("maxmemory", "4mb"); // now well over: every write is refused
        try {
          jedis.incr("probe");
        } catch (RuntimeException e) {
          full = e.getMessage();
        }
      }
      assertThat(full).as("Redis is full").startsWith("OOM");
      for (int i = 0; i < 20; i++) {
        ChatDraft draft = new ChatDraft("r", "m" + i, "a", "a", "x".repeat(1000));
        assertThatThrownBy(() -> broker.publish(draft))
            .isInstanceOf(BrokerUnavailableException.class);
        assertThatThrownBy(() -> broker.publishAsync(draft).get(10, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(BrokerUnavailableException.class);
      }
      assertThat(broker.tail("r", 10).messages()).as("reads still work").hasSize(1);
      List<LogRecord> warnings =
          records.stream()
              .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
              .toList();
      assertThat(warnings).as("one line for the whole episode").hasSize(1);
      assertThat(warnings.get(0).getMessage()).contains("OOM");
      assertThat(warnings.get(0).getThrown()).as("no stack trace").isNull();
      try (Jedis jedis = redis.client()) {
        jedis.flushAll();
      }
      assertThat(broker.publish(new ChatDraft("r2", "after", "a", "a", "fits")).offset())
          .isEqualTo(1);
      assertThat(records).anyMatch(r -> r.getMessage().contains("accepts writes again"));
    } finally {
      log.removeHandler(capture);
    }
  }

  @Test
  void aRedisStallPastTheReadTimeoutLosesNoOutcomeAndStoresNothingTwice() throws Exception {
    try (RedisProcess redis = RedisProcess.start(List.of("--enable-debug-command", "yes"));
        RedisStore store = new RedisStore(URI.create(redis.url()));
        RedisBroker broker =
            new RedisBroker(
                store,
                "stall:",
                HistoryLimits.counts(1000, 100, 100),
                3600,
                Clock.systemUTC(),
                Executors.defaultThreadFactory(),
                SCHEDULER,
                Runnable::run)) {
      await().atMost(Duration.ofSeconds(10)).until(broker::isAvailable);
      io.switchboard.broker.BrokerContract.Recorder recorder =
          new io.switchboard.broker.BrokerContract.Recorder();
      broker.subscribe("stalled", recorder);
      Thread sleeper =
          new Thread(
              () -> {
                try (Jedis jedis = new Jedis("127.0.0.1", redis.port(), 10_000)) {
                  jedis.sendCommand(
                      () -> "DEBUG".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                      "SLEEP",
                      "2.5");
                }
              });
      sleeper.start();
      Thread.sleep(200); // Redis is asleep: these go out and their replies time out (2 s)
      List<java.util.concurrent.CompletableFuture<io.switchboard.broker.Published>> sent =
          new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sent.add(
            broker.publishAsync(
                new ChatDraft("stalled", "c-" + i, "a", "a", "m" + i, "u:a\nc-" + i)));
      }
      List<Long> offsets = new ArrayList<>();
      for (var future : sent) {
        offsets.add(future.get(20, TimeUnit.SECONDS).offset()); // answered, not unavailable
      }
      sleeper.join();
      assertThat(offsets)
          .as("each stored once, in order")
          .containsExactlyElementsOf(
              java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
      assertThat(broker.tail("stalled", 100).messages()).hasSize(20);
      assertThat(
              broker.publish(new ChatDraft("stalled", "c-3", "a", "a", "m3", "u:a\nc-3")).offset())
          .as("the sender's retry with the same id")
          .isEqualTo(4);
      await().atMost(Duration.ofSeconds(10)).until(() -> recorder.messages.size() >= 20);
      Thread.sleep(300);
      assertThat(recorder.messages)
          .extracting(io.switchboard.broker.ChatMessage::offset)
          .as("delivered once each")
          .doesNotHaveDuplicates()
          .hasSize(20);
    }
  }
}
