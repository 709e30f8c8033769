package io.switchboard.it.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real WildFly (standalone-microprofile) serving the packaged WAR as {@code ROOT.war}, on
 * loopback, on a free port offset; its log is {@code target/nodes/<name>.log}. The distribution is
 * the one {@code -Pwildfly} (or {@code -Pbench}) unpacks.
 */
public final class WildFlyServer implements AutoCloseable {

  private static final Duration START = Duration.ofSeconds(180);

  private final Process process;
  private final int offset;

  private WildFlyServer(Process process, int offset) {
    this.process = process;
    this.offset = offset;
  }

  /**
   * Deploys the WAR and starts WildFly, waiting until the WAR answers.
   *
   * @param prefix a command prefix (for example {@code taskset -c 0}), or none
   * @param javaOptions the JVM's options (replacing {@code standalone.conf}'s defaults)
   * @param properties system properties, Switchboard's settings among them
   */
  public static WildFlyServer start(
      Path home,
      String name,
      List<String> prefix,
      List<String> javaOptions,
      Map<String, String> properties)
      throws IOException, InterruptedException {
    Path deployments = home.resolve("standalone").resolve("deployments");
    Files.copy(
        Path.of(System.getProperty("switchboard.war", "target/switchboard.war")),
        deployments.resolve("ROOT.war"),
        StandardCopyOption.REPLACE_EXISTING);
    int offset = freeOffset();
    Path log = Path.of(System.getProperty("switchboard.build", "target"), "nodes", name + ".log");
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            home.resolve("bin").resolve("standalone.sh").toString(),
            "-c",
            "standalone-microprofile.xml",
            "-b",
            "127.0.0.1",
            "-bmanagement",
            "127.0.0.1",
            "-Djboss.socket.binding.port-offset=" + offset));
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    if (!javaOptions.isEmpty()) {
      builder.environment().put("JAVA_OPTS", String.join(" ", javaOptions));
    }
    WildFlyServer server = new WildFlyServer(builder.start(), offset);
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.process.isAlive()) {
        throw new IllegalStateException("WildFly exited; see " + log);
      }
      try {
        if (server.api().get("api/stats").statusCode() == 200) {
          return server;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    server.close();
    throw new IllegalStateException("WildFly did not serve the WAR in " + START + "; see " + log);
  }

  private static int freeOffset() throws IOException {
    for (int i = 0; i < 50; i++) {
      int candidate = 1000 + ThreadLocalRandom.current().nextInt(20_000);
      if (free(8080 + candidate) && free(9990 + candidate) && free(8443 + candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free port offset");
  }

  private static boolean free(int port) {
    try (ServerSocket ignored = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public int port() {
    return 8080 + offset;
  }

  public int managementPort() {
    return 9990 + offset;
  }

  public URI http() {
    return URI.create("http://127.0.0.1:" + port() + "/");
  }

  public URI ws(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
  }

  public Http api() {
    return new Http(http());
  }

  /** The server's JVM (a child of {@code standalone.sh}, which only waits for it). */
  public long pid() {
    return process
        .descendants()
        .filter(child -> child.info().command().map(c -> c.endsWith("java")).orElse(false))
        .findFirst()
        .map(ProcessHandle::pid)
        .orElseThrow(() -> new IllegalStateException("WildFly's JVM is not running"));
  }

  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    children.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      for (ProcessHandle child : children) {
        child.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }
}
