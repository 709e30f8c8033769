package io.switchboard.it.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * A real Redis server process for tests: {@code redis-server} from the PATH, else the binary that
 * embedded-redis ships. Listens on 127.0.0.1 on a free port; can be killed and restarted on the
 * same port (with its data when started persistent).
 */
public final class RedisProcess implements AutoCloseable {

  private final int port;
  private final boolean persistent;
  private final List<String> extra;
  private final Path dir;
  private Process process;

  private RedisProcess(int port, boolean persistent, List<String> extra) throws IOException {
    this.port = port;
    this.persistent = persistent;
    this.extra = List.copyOf(extra);
    this.dir = Files.createTempDirectory("switchboard-redis-");
  }

  /** Starts a Redis that keeps nothing on disk. */
  public static RedisProcess start() throws IOException {
    return start(List.of());
  }

  /** Starts a Redis that keeps nothing on disk, with more options ({@code --maxmemory 8mb}). */
  public static RedisProcess start(List<String> options) throws IOException {
    RedisProcess redis = new RedisProcess(freePort(), false, options);
    redis.launch();
    return redis;
  }

  /**
   * Starts a Redis that speaks TLS only, on {@link #port()}, with this certificate and key (PEM).
   */
  public static RedisProcess startTls(Path certificate, Path key) throws IOException {
    int port = freePort();
    RedisProcess redis =
        new RedisProcess(
            port,
            false,
            List.of(
                "--port",
                "0",
                "--tls-port",
                Integer.toString(port),
                "--tls-cert-file",
                certificate.toString(),
                "--tls-key-file",
                key.toString(),
                "--tls-auth-clients",
                "no"));
    redis.launch();
    return redis;
  }

  /** Starts a Redis that writes every command to its append-only file (survives a restart). */
  public static RedisProcess startPersistent() throws IOException {
    RedisProcess redis = new RedisProcess(freePort(), true, List.of());
    redis.launch();
    return redis;
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void launch() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1"));
    command.addAll(List.of("--dir", dir.toString(), "--save", ""));
    if (persistent) {
      command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
    } else {
      command.addAll(List.of("--appendonly", "no"));
    }
    command.addAll(extra);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (extra.contains("--tls-port")) {
        // TLS only: listening is all this can see without the client's certificates
        try (java.net.Socket socket = new java.net.Socket()) {
          socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
          return;
        } catch (IOException e) {
          sleep(50);
          continue;
        }
      }
      try (Jedis jedis = new Jedis("127.0.0.1", port, 500)) {
        if ("PONG".equals(jedis.ping())) {
          return;
        }
      } catch (RuntimeException e) {
        sleep(50);
      }
    }
    throw new IllegalStateException("redis-server did not start on port " + port);
  }

  private static Path binary() throws IOException {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir, "redis-server");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    Path extracted =
        Path.of(System.getProperty("java.io.tmpdir"), "switchboard-redis-server-6.2.6");
    if (!Files.isExecutable(extracted)) {
      try (InputStream in =
          RedisProcess.class.getResourceAsStream("/redis-server-6.2.6-v5-linux-amd64")) {
        if (in == null) {
          throw new IllegalStateException("No redis-server on the PATH and no embedded binary");
        }
        Path temp = Files.createTempFile("redis-server", "");
        Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        temp.toFile().setExecutable(true);
        Files.move(temp, extracted, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return extracted;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** The settings that put a Switchboard node on this Redis, under {@code keyPrefix}. */
  public java.util.Map<String, String> nodeSettings(String keyPrefix) {
    return java.util.Map.of(
        "switchboard.redis.url", url(), "switchboard.redis.key-prefix", keyPrefix);
  }

  public Jedis client() {
    return new Jedis("127.0.0.1", port, 2000);
  }

  /**
   * Makes Redis stall for {@code seconds} ({@code DEBUG SLEEP}; start it with {@code
   * --enable-debug-command yes}) and returns once it has stopped answering.
   */
  public Thread stall(double seconds) {
    Thread sleeper =
        new Thread(
            () -> {
              try (Jedis jedis = new Jedis("127.0.0.1", port, (int) (seconds * 1000) + 10_000)) {
                jedis.sendCommand(
                    () -> "DEBUG".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    "SLEEP",
                    Double.toString(seconds));
              }
            },
            "redis-stall");
    sleeper.start();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> !answersWithin(300));
    return sleeper;
  }

  /** Whether Redis answers a PING within {@code millis}. */
  public boolean answersWithin(int millis) {
    try (Jedis jedis = new Jedis("127.0.0.1", port, millis)) {
      return "PONG".equals(jedis.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** SIGKILL: Redis is gone at once. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Starts again on the same port (and the same data directory). */
  public void restart() throws IOException {
    launch();
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
