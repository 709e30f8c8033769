package io.switchboard.bench;

import io.switchboard.platform.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The independent load generator ({@code bench/load/chatty.js}, on Node.js, on the load core):
 * every member its own {@code ws} client and user, sending on its own timer. The server's CPU time
 * is sampled when the generator starts and ends its measured window, and its idle CPU before any
 * client connects, so that a step reports what the load cost beyond idling.
 */
final class NodeLoad {

  private NodeLoad() {}

  /**
   * What one run of the generator measured.
   *
   * @param idleCpu the server's CPU (cores) over 5 s before any client connected
   */
  record Result(Step step, double idleCpu, double connectSeconds, double connectP99, String raw) {

    /** Server CPU µs per delivery beyond the idle baseline. */
    double cpuMicrosPerDeliveryOverIdle() {
      return step.received() == 0
          ? Double.NaN
          : Math.max(0, step.serverCpu() - idleCpu) * 1e6 / step.deliveriesPerSecond();
    }
  }

  /**
   * Runs {@code rooms} × {@code perRoom} members, {@code senders} of each room sending {@code rate}
   * messages per second (every member: the chatty case; one of a big room: fan-out), measured for
   * {@code seconds} after {@code warmUp} seconds.
   *
   * @param protocol switchboard, socketio or ws
   */
  static Result chatty(
      Path node,
      Path project,
      String name,
      String protocol,
      URI base,
      long pid,
      int rooms,
      int perRoom,
      int senders,
      double rate,
      double warmUp,
      double seconds)
      throws IOException, InterruptedException {
    double idle = idleCpu(pid);
    Generated run =
        generate(
            node,
            project,
            "chatty.js",
            List.of(
                protocol,
                base.toString(),
                Integer.toString(rooms),
                Integer.toString(perRoom),
                Double.toString(rate),
                Double.toString(warmUp),
                Double.toString(seconds),
                Integer.toString(senders)),
            pid,
            warmUp + seconds + 300);
    JsonObject json = run.json();
    String raw = run.raw();
    double cpu = run.cpu(0);
    long received = json.getJsonNumber("received").longValue();
    long expected = json.getJsonNumber("expected").longValue();
    double offered = rate * rooms * senders;
    Step step =
        new Step(
            name,
            offered,
            json.getJsonNumber("sent").doubleValue() / seconds,
            expected,
            received,
            json.getJsonNumber("deliveriesPerSecond").doubleValue(),
            json.getJsonNumber("p50").doubleValue(),
            json.getJsonNumber("p95").doubleValue(),
            json.getJsonNumber("p99").doubleValue(),
            json.getJsonNumber("max").doubleValue(),
            cpu,
            json.getInt("closedByServer") == 0 ? "" : json.getInt("closedByServer") + " closed");
    return new Result(
        step,
        idle,
        json.getJsonNumber("connectSeconds").doubleValue(),
        json.getJsonNumber("connectP99").doubleValue(),
        raw);
  }

  /**
   * What one run of a generator printed, and the server's CPU (in cores) in each window the
   * generator marked with "measuring" and "measured" lines on its stderr.
   */
  record Generated(JsonObject json, String raw, List<Double> windows) {
    double cpu(int window) {
      return window < windows.size() ? windows.get(window) : Double.NaN;
    }
  }

  /** Runs {@code bench/load/<script>} on the load core and waits for its JSON line. */
  static Generated generate(
      Path node, Path project, String script, List<String> args, long pid, double timeoutSeconds)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(Machine.loadPrefix());
    command.addAll(
        List.of(
            node.toString(),
            "--max-old-space-size=2048",
            project.resolve("bench/load/" + script).toString()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).start();
    List<Double> windows = new CopyOnWriteArrayList<>();
    Thread progress =
        new Thread(
            () -> {
              long fromCpu = -1;
              long fromNanos = 0;
              try (BufferedReader err =
                  new BufferedReader(
                      new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                  if (line.endsWith(" measuring")) {
                    fromNanos = System.nanoTime();
                    fromCpu = Machine.cpuNanos(pid);
                  } else if (line.endsWith(" measured") && fromCpu >= 0) {
                    windows.add(
                        (Machine.cpuNanos(pid) - fromCpu)
                            / (double) (System.nanoTime() - fromNanos));
                    fromCpu = -1;
                  } else {
                    Bench.progress("  %s", line);
                  }
                }
              } catch (IOException e) {
                // the generator ended
              }
            },
            script + "-progress");
    progress.setDaemon(true);
    progress.start();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return "";
              }
            });
    if (!process.waitFor((long) timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(script + " did not finish");
    }
    progress.join(5000);
    String raw = out.join().trim();
    if (process.exitValue() != 0 || raw.isEmpty() || windows.isEmpty()) {
      throw new IOException(script + " failed (exit " + process.exitValue() + "): " + raw);
    }
    return new Generated(Json.get().parse(raw).asJsonObject(), raw, List.copyOf(windows));
  }

  /**
   * What connecting measured: {@code count} idle members opened at up to {@code rate} per second,
   * and, after a storm, all of them reconnected at once with {@code since}.
   */
  record Connects(
      String target,
      double idleCpu,
      JsonObject json,
      double connectCpu,
      double stormCpu,
      String raw) {

    double number(String key) {
      return json.containsKey(key) ? json.getJsonNumber(key).doubleValue() : Double.NaN;
    }
  }

  /**
   * Runs {@code bench/load/connect.js}: opens {@code count} members, with {@code storm} a storm.
   */
  static Connects connect(
      Path node,
      Path project,
      String name,
      String protocol,
      URI base,
      long pid,
      int count,
      int rate,
      boolean storm)
      throws IOException, InterruptedException {
    double idle = idleCpu(pid);
    List<String> args = new ArrayList<>(List.of(protocol, base.toString(), "" + count, "" + rate));
    if (storm) {
      args.add("storm");
    }
    Generated run = generate(node, project, "connect.js", args, pid, 600);
    return new Connects(name, idle, run.json(), run.cpu(0), run.cpu(1), run.raw());
  }

  /** The server's CPU, in cores, over 5 s of doing nothing. */
  static double idleCpu(long pid) throws InterruptedException {
    long start = System.nanoTime();
    long cpu0 = Machine.cpuNanos(pid);
    Thread.sleep(5000);
    return (Machine.cpuNanos(pid) - cpu0) / (double) (System.nanoTime() - start);
  }
}
