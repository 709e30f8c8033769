package io.switchboard.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Switchboard's benchmark: every scenario of the performance section, side by side with the bare
 * endpoint and Socket.IO, in one run. {@code mvn -Pbench} runs it; it prints progress as it goes
 * and a Markdown table at the end, and writes {@code target/bench/results.md} and {@code .json}.
 *
 * <p>System properties: {@code bench.scenarios} (any of fanout, chatty, everyday, sse, connect,
 * cluster, connections; all by default), {@code bench.members} (fan-out room size, 1000), {@code
 * bench.seconds} (seconds per step, 5), {@code bench.connections} (connection counts,
 * 1000,5000,10000,15000).
 */
public final class Bench {

  static final List<String> SCENARIOS =
      List.of("fanout", "chatty", "everyday", "sse", "connect", "cluster", "connections");

  private static final long STARTED = System.nanoTime();

  private final List<String> scenarios;
  private final Scenario.Run run;

  private Bench(Servers servers) {
    String wanted = System.getProperty("bench.scenarios", "");
    this.scenarios =
        wanted.isBlank()
            ? SCENARIOS
            : SCENARIOS.stream()
                .filter(Arrays.asList(wanted.split("\\s*,\\s*"))::contains)
                .toList();
    List<Integer> connections =
        Arrays.stream(System.getProperty("bench.connections", "1000,5000,10000,15000").split(","))
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();
    this.run =
        new Scenario.Run(
            servers,
            new Scenario.Options(
                Integer.getInteger("bench.members", 1000),
                Double.parseDouble(System.getProperty("bench.seconds", "5")),
                connections,
                100));
    if (scenarios.isEmpty()) {
      throw new IllegalArgumentException(
          "bench.scenarios names none of " + SCENARIOS + ": " + wanted);
    }
  }

  public static void main(String[] args) throws Exception {
    Machine.pinSelf();
    Path project = Path.of(System.getProperty("bench.project", ".")).toAbsolutePath();
    Path build = Path.of(System.getProperty("switchboard.build", "target")).toAbsolutePath();
    int status = 0;
    try (Servers servers = new Servers(project, build)) {
      Bench bench = new Bench(servers);
      progress("Switchboard benchmark: %s", String.join(", ", bench.scenarios));
      progress("machine: %s", Machine.describe());
      bench.run(build.resolve("bench"));
    } catch (Exception e) {
      progress("BENCHMARK FAILED: %s", e);
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  /** A line of progress, with the seconds since the start. */
  static void progress(String format, Object... args) {
    long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - STARTED);
    System.out.printf(
        Locale.ROOT, "[%4ds] %s%n", elapsed, String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  private void run(Path out) throws Exception {
    for (String scenario : scenarios) {
      progress("=== %s ===", scenario);
      Scenario next =
          switch (scenario) {
            case "fanout" -> new FanoutScenario(run);
            case "chatty" -> new ChattyScenario(run);
            case "everyday" -> new EverydayScenario(run);
            case "sse" -> new SseScenario(run);
            case "connect" -> new ConnectScenario(run);
            case "cluster" -> new ClusterScenario(run);
            case "connections" -> new ConnectionsScenario(run);
            default -> throw new IllegalStateException(scenario);
          };
      next.run();
    }
    Report report = run.report;
    report.heading("Targets");
    report.table(List.of("target", "measured", "met"), run.targets);
    report.data("targets", run.targets);
    String header =
        "# Switchboard benchmark\n\n"
            + "Run "
            + Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + " on "
            + Machine.describe()
            + ". Messages carry "
            + Payloads.SIZE
            + " characters; latency is from the sender's send call to the receiver's receipt;"
            + " a step keeps up when nothing is lost, nobody is disconnected, p99 ≤ "
            + Report.number(run.options.p99Limit())
            + " ms and the rate was actually sent. Steps last "
            + Report.number(run.options.seconds())
            + " s.\n";
    report.write(out, header);
    System.out.println();
    System.out.println(header + report.markdown());
    progress("written to %s and results.json", out.resolve("results.md"));
  }

  static String mib(long bytes) {
    return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1024.0 / 1024.0);
  }
}
