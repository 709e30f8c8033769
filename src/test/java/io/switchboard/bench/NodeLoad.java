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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
   * Runs the chatty case: {@code rooms} × {@code perRoom} members, each sending {@code rate}
   * messages per second, measured for {@code seconds} after {@code warmUp} seconds.
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
      double rate,
      double warmUp,
      double seconds)
      throws IOException, InterruptedException {
    double idle = idleCpu(pid);
    List<String> command = new ArrayList<>(Machine.loadPrefix());
    command.addAll(
        List.of(
            node.toString(),
            "--max-old-space-size=2048",
            project.resolve("bench/load/chatty.js").toString(),
            protocol,
            base.toString(),
            Integer.toString(rooms),
            Integer.toString(perRoom),
            Double.toString(rate),
            Double.toString(warmUp),
            Double.toString(seconds)));
    Process process = new ProcessBuilder(command).start();
    AtomicLong from = new AtomicLong(-1);
    AtomicLong to = new AtomicLong(-1);
    AtomicLong fromNanos = new AtomicLong();
    AtomicLong toNanos = new AtomicLong();
    Thread progress =
        new Thread(
            () -> {
              try (BufferedReader err =
                  new BufferedReader(
                      new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                  if (line.endsWith(" measuring")) {
                    fromNanos.set(System.nanoTime());
                    from.set(Machine.cpuNanos(pid));
                  } else if (line.endsWith(" measured")) {
                    toNanos.set(System.nanoTime());
                    to.set(Machine.cpuNanos(pid));
                  } else {
                    Bench.progress("  %s", line);
                  }
                }
              } catch (IOException e) {
                // the generator ended
              }
            },
            "chatty.js-progress");
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
    if (!process.waitFor((long) (warmUp + seconds) + 300, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("chatty.js did not finish");
    }
    progress.join(5000);
    String raw = out.join().trim();
    if (process.exitValue() != 0 || raw.isEmpty() || from.get() < 0 || to.get() < 0) {
      throw new IOException("chatty.js failed (exit " + process.exitValue() + "): " + raw);
    }
    JsonObject json = Json.get().parse(raw).asJsonObject();
    double cpu = (to.get() - from.get()) / (double) (toNanos.get() - fromNanos.get());
    long received = json.getJsonNumber("received").longValue();
    long expected = json.getJsonNumber("expected").longValue();
    double offered = rate * rooms * perRoom;
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

  /** The server's CPU, in cores, over 5 s of doing nothing. */
  static double idleCpu(long pid) throws InterruptedException {
    long start = System.nanoTime();
    long cpu0 = Machine.cpuNanos(pid);
    Thread.sleep(5000);
    return (Machine.cpuNanos(pid) - cpu0) / (double) (System.nanoTime() - start);
  }
}
