package io.switchboard.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Payara Micro process running the packaged WAR, for tests that need several nodes, other
 * settings than the suite's, or to kill a node. Without Hazelcast, on loopback, on a free port; its
 * log is {@code target/nodes/<name>.log}.
 */
public final class PayaraNode implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final String name;
  private final Map<String, String> properties;
  private final List<String> extraArgs;
  private final Map<String, String> environment;
  private final Jvm jvm;
  private final int port;
  private Process process;

  /**
   * How the node's JVM is launched: a command prefix (for example {@code taskset -c 0}) and its
   * options. Tests use {@link #TEST}: a small heap and a quick start; benchmarks use their own.
   */
  public record Jvm(List<String> prefix, List<String> options) {
    public static final Jvm TEST =
        new Jvm(List.of(), List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
  }

  private PayaraNode(
      String name,
      Map<String, String> properties,
      List<String> extraArgs,
      Map<String, String> env,
      Jvm jvm)
      throws IOException {
    this.name = name;
    this.properties = properties;
    this.extraArgs = extraArgs;
    this.environment = env;
    this.jvm = jvm;
    this.port = RedisProcess.freePort();
  }

  /** Starts a node and waits until it serves requests. */
  public static PayaraNode start(String name, Map<String, String> properties) throws IOException {
    return start(name, properties, List.of(), Map.of());
  }

  /** Starts a node with more Payara Micro arguments and environment variables. */
  public static PayaraNode start(
      String name, Map<String, String> properties, List<String> extraArgs, Map<String, String> env)
      throws IOException {
    return start(name, properties, extraArgs, env, Jvm.TEST);
  }

  /** Starts a node launched as {@code jvm} says. */
  public static PayaraNode start(
      String name,
      Map<String, String> properties,
      List<String> extraArgs,
      Map<String, String> env,
      Jvm jvm)
      throws IOException {
    PayaraNode node = new PayaraNode(name, new LinkedHashMap<>(properties), extraArgs, env, jvm);
    node.launch();
    return node;
  }

  private void launch() throws IOException {
    try {
      start();
    } catch (IOException | RuntimeException e) {
      close(); // never leave a half-started node behind
      throw e;
    }
  }

  private void start() throws IOException {
    Path build = Path.of(System.getProperty("switchboard.build", "target"));
    Path logs = build.resolve("nodes");
    Files.createDirectories(logs);
    List<String> command = new ArrayList<>(jvm.prefix());
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm.options());
    command.add("-Dswitchboard.node.id=" + name);
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.addAll(
        List.of(
            "-jar",
            System.getProperty("payara.microJar"),
            "--deploy",
            System.getProperty("switchboard.war", build.resolve("switchboard.war").toString()),
            "--contextroot",
            "/",
            "--port",
            Integer.toString(port),
            "--nohazelcast",
            "--rootdir",
            // Per test run: a directory left by an earlier run on the same port is never reused.
            build
                .resolve("nodes")
                .resolve(name + "-" + port + "-" + ProcessHandle.current().pid())
                .toString(),
            "--prebootcommandfile",
            System.getProperty("switchboard.preboot")));
    command.addAll(extraArgs);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
    builder.environment().put("SWITCHBOARD_BIND_ADDRESS", "127.0.0.1");
    builder.environment().putAll(environment);
    process = builder.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Node " + name + " exited; see target/nodes/" + name + ".log");
      }
      try {
        HttpResponse<String> response =
            HTTP.send(
                HttpRequest.newBuilder(http().resolve("health/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("switchboard")) {
          return; // our readiness check is registered: the application is deployed
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      sleep(250);
    }
    throw new IllegalStateException("Node " + name + " not ready in 120 s");
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public URI http() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  public URI ws(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + port + pathAndQuery);
  }

  public Http api() {
    return new Http(http());
  }

  public long pid() {
    return process.pid();
  }

  /** Starts the node again, on the same port. */
  public void restart() throws IOException {
    launch();
  }

  /** SIGKILL: the node vanishes without saying goodbye. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, and wait for the node to exit. */
  public void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
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
