package io.switchboard.bench;

import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RedisProcess;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Starts and stops the processes the benchmark measures: Switchboard on Payara Micro (with the bare
 * broadcast endpoint deployed next to it), Redis, and the Socket.IO server. Every server runs on
 * the server core; everything started is stopped on close, also when the benchmark is interrupted.
 */
final class Servers implements AutoCloseable {

  /** The server JVM: production settings (full JIT), the heap the connection target allows. */
  static final List<String> SERVER_JVM = List.of("-Xmx1g", "-XX:+ExitOnOutOfMemoryError");

  private final Path build;
  private final Path project;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private Path bareWar;

  Path project() {
    return project;
  }

  Servers(Path project, Path build) {
    this.project = project;
    this.build = build;
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "bench-cleanup"));
  }

  /**
   * Settings for benchmark nodes: the sender may send as fast as the benchmark asks, and the load
   * tool's thousands of connections from one address are not capped.
   */
  static Map<String, String> benchSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("switchboard.ratelimit.per-second", "1000000");
    settings.put("switchboard.ratelimit.burst", "1000000");
    settings.put("switchboard.rooms.max", "1000000");
    settings.put("switchboard.limits.connections-per-address", "0");
    settings.put("switchboard.limits.connections-per-user", "0");
    settings.put("switchboard.limits.streams-per-address", "0");
    settings.put("switchboard.limits.publish-rate", "0");
    settings.put("switchboard.limits.bytes-per-second", "0");
    settings.put("switchboard.limits.connect-rate", "0");
    return settings;
  }

  /** A Switchboard node; with {@code bare}, the bare endpoint is deployed on it too. */
  PayaraNode switchboard(String name, Map<String, String> settings, boolean bare)
      throws IOException {
    List<String> args = new ArrayList<>();
    if (bare) {
      args.addAll(List.of("--deploy", bareWar().toString()));
    }
    Bench.progress(
        "starting Payara Micro node %s%s", name, bare ? " (with the bare endpoint)" : "");
    PayaraNode node =
        PayaraNode.start(
            name,
            settings,
            args,
            Map.of(),
            new PayaraNode.Jvm(Machine.serverPrefix(), serverJvm(name)));
    started.push(node);
    Bench.progress("node %s ready on port %d (pid %d)", name, node.port(), node.pid());
    return node;
  }

  /**
   * The server JVM's options; with {@code -Dbench.profile=true}, a Flight Recording of the whole
   * run is written to {@code target/bench/<node>.jfr} when the node is stopped.
   */
  private List<String> serverJvm(String name) {
    if (!Boolean.getBoolean("bench.profile")) {
      return SERVER_JVM;
    }
    List<String> options = new ArrayList<>(SERVER_JVM);
    options.add("-XX:StartFlightRecording=name=bench,settings=profile");
    return options;
  }

  void stop(AutoCloseable server) {
    if (Boolean.getBoolean("bench.profile") && server instanceof PayaraNode node) {
      Path file = build.resolve("bench").resolve(node.name() + ".jfr");
      Machine.jcmd(node.pid(), "JFR.dump", "name=bench", "filename=" + file);
      Bench.progress("profile of %s written to %s", node.name(), file);
    }
    started.remove(server);
    try {
      server.close();
    } catch (Exception e) {
      Bench.progress("could not stop %s: %s", server, e);
    }
  }

  RedisProcess redis() throws IOException {
    RedisProcess redis = RedisProcess.start();
    started.push(redis);
    Machine.pinToServerCore(redis.pid());
    Bench.progress("Redis on port %d (pid %d)", redis.port(), redis.pid());
    return redis;
  }

  /** A running Node.js peer (Socket.IO, raw ws): its base URL and process. */
  record SocketIo(URI base, Process process) implements AutoCloseable {
    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  /** Starts Socket.IO on Node.js, installing it from npm first; null when Node.js is missing. */
  SocketIo socketIo() throws IOException, InterruptedException {
    return nodePeer("bench/socketio", "Socket.IO " + version("socket.io"));
  }

  /**
   * Starts the raw {@code ws} peer ({@code bench/ws/server.js}: each frame broadcast to its room),
   * the practical single-thread ceiling; null when Node.js is missing.
   */
  SocketIo rawWs() throws IOException, InterruptedException {
    return nodePeer("bench/ws", "raw ws " + version("ws"));
  }

  /** The Node.js program on the path, having installed the peers' packages; null without one. */
  Path node() throws IOException, InterruptedException {
    Path node = onPath("node");
    Path npm = onPath("npm");
    if (node == null || npm == null) {
      Bench.progress("NO NODE.JS ON THE PATH: the Node.js peers are left out of this run");
      return null;
    }
    Path dir = project.resolve("bench/socketio");
    if (!Files.isDirectory(dir.resolve("node_modules/socket.io"))) {
      Bench.progress("installing Socket.IO and ws from npm (npm ci in bench/socketio)");
      Process install =
          new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund", "--loglevel=error")
              .directory(dir.toFile())
              .inheritIO()
              .start();
      if (install.waitFor() != 0) {
        Bench.progress("npm ci failed: the Node.js peers are left out of this run");
        return null;
      }
    }
    return node;
  }

  /** Starts {@code server.js} of {@code dir} on the server core; null when Node.js is missing. */
  private SocketIo nodePeer(String dir, String label) throws IOException, InterruptedException {
    Path node = node();
    if (node == null) {
      return null;
    }
    int port = RedisProcess.freePort();
    List<String> command = new ArrayList<>(Machine.serverPrefix());
    command.addAll(List.of(node.toString(), "server.js", Integer.toString(port)));
    Process process =
        new ProcessBuilder(command)
            .directory(project.resolve(dir).toFile())
            .redirectErrorStream(true)
            .start();
    SocketIo peer = new SocketIo(URI.create("http://127.0.0.1:" + port + "/"), process);
    started.push(peer);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return out.readLine();
              } catch (IOException e) {
                return null;
              }
            });
    try {
      String line = ready.get(30, TimeUnit.SECONDS);
      if (line == null || !line.contains("listening")) {
        throw new IOException(label + " did not start: " + line);
      }
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException(label + " did not start", e);
    }
    Thread drain = new Thread(() -> out.lines().forEach(l -> {}), dir + "-output");
    drain.setDaemon(true);
    drain.start();
    Bench.progress(
        "%s on Node.js %s, port %d (pid %d)",
        label, Machine.run(List.of(node.toString(), "--version")).trim(), port, process.pid());
    return peer;
  }

  /** The version of an installed npm package of the peers. */
  private String version(String module) {
    try {
      String json =
          Files.readString(
              project
                  .resolve("bench/socketio/node_modules")
                  .resolve(module)
                  .resolve("package.json"));
      int at = json.indexOf("\"version\"");
      int open = json.indexOf('"', json.indexOf(':', at) + 1);
      return json.substring(open + 1, json.indexOf('"', open + 1));
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** The bare endpoint's WAR, compiled from {@code bench/bare} on first use. */
  private Path bareWar() throws IOException {
    if (bareWar != null) {
      return bareWar;
    }
    Path source = project.resolve("bench/bare/BareBroadcast.java");
    Path classes = build.resolve("bench/bare-classes");
    Files.createDirectories(classes);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    int result =
        compiler.run(
            null,
            null,
            null,
            "-d",
            classes.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "--release",
            "17",
            source.toString());
    if (result != 0) {
      throw new IOException("could not compile " + source);
    }
    Path war = build.resolve("bench/bare.war");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war));
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name =
            "WEB-INF/classes/"
                + classes.relativize(file).toString().replace(File.separatorChar, '/');
        zip.putNextEntry(new ZipEntry(name));
        Files.copy(file, zip);
        zip.closeEntry();
      }
    }
    bareWar = war;
    return war;
  }

  private static Path onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  @Override
  public synchronized void close() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        // best effort: the rest must still stop
      }
    }
  }

  static void write(OutputStream out, String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
