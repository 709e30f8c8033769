package io.switchboard.bench;

import static io.switchboard.bench.Bench.progress;

import io.switchboard.it.support.PayaraNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * sse: subscribers of one topic on one node, notifications published over HTTP: the fixed rates of
 * the targets (50 and 200 notifications/s, after a warm-up, the median CPU of three runs, CPU
 * beyond the node's idle CPU), compared with the WebSocket fan-out at the same rate when the
 * everyday scenario ran first, then the ramp to the first rate that does not keep up.
 */
final class SseScenario extends Scenario {

  static final List<Double> FIXED = List.of(50d, 200d);

  SseScenario(Run run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    PayaraNode node = servers.switchboard("bench-sse", Servers.benchSettings(), false);
    double idle = NodeLoad.idleCpu(node.pid());
    double warmUp = Double.parseDouble(System.getProperty("bench.warmup", "15"));
    double seconds = Math.max(10, options.seconds());
    int members = options.members();
    long[] pids = {node.pid()};
    List<Step> fixed = new ArrayList<>();
    try (SseLoad load = SseLoad.open(node.http(), members)) {
      Drive.measure("warm-up", pids, load.frames(), FIXED.get(0), warmUp, members, load::publish);
      Drive.quiesce(load.frames());
      for (double rate : FIXED) {
        List<Step> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          Step step =
              Drive.measure(
                  "Switchboard SSE", pids, load.frames(), rate, seconds, members, load::publish);
          progress("%s", Report.describe(step, options.p99Limit()));
          runs.add(step);
          Drive.quiesce(load.frames());
        }
        runs.sort((a, b) -> Double.compare(a.serverCpu(), b.serverCpu()));
        fixed.add(runs.get(1));
      }
      List<Step> ramp =
          Drive.ramp(
              "Switchboard SSE",
              pids,
              load.frames(),
              List.of(100d, 200d, 300d, 400d, 500d, 700d, 1000d),
              options.seconds(),
              members,
              options.p99Limit(),
              load::publish);
      report.heading("sse: " + members + " subscribers of one topic");
      report.text(
          "Notifications are published with `POST /api/notifications` (asynchronously, so that"
              + " the publisher's round trip is not the limit) and delivered on `/api/events`;"
              + " rejected publishes: "
              + load.rejected()
              + ". Fixed rates after "
              + Report.number(warmUp)
              + " s of warm-up, the median of three runs; the node's idle CPU ("
              + Report.percent(idle)
              + ") is subtracted.");
      NodeLoad.Result websocket = run.everyday.get(EverydayScenario.SSE_COMPANION);
      double wsCpu = websocket == null ? Double.NaN : websocket.cpuMicrosPerDeliveryOverIdle();
      List<List<String>> rows = new ArrayList<>();
      for (Step step : fixed) {
        double cpu = microsOverIdle(step, idle);
        rows.add(
            List.of(
                Report.number(step.offered()),
                Report.number(step.deliveriesPerSecond()),
                Long.toString(step.lost()),
                Report.millis(step.p50()),
                Report.millis(step.p99()),
                Report.percent(step.serverCpu()),
                String.format(Locale.ROOT, "%.1f", cpu),
                step.offered() == 50 && !Double.isNaN(wsCpu)
                    ? String.format(Locale.ROOT, "%.2f× (%.1f µs)", cpu / wsCpu, wsCpu)
                    : "-"));
      }
      report.table(
          List.of(
              "notifications/s",
              "deliveries/s",
              "lost",
              "p50 ms",
              "p99 ms",
              "server CPU",
              "CPU µs/delivery over idle",
              "÷ WebSocket fan-out at 50/s"),
          rows);
      report.text("The ramp:");
      report.steps(ramp, options.p99Limit(), "notifications/s");
      report.data("sse fixed", fixed);
      report.data("sse", ramp);
      Step at50 = fixed.get(0);
      Step at200 = fixed.get(1);
      double ratio = microsOverIdle(at50, idle) / wsCpu;
      verdict(
          List.of(
              "SSE 1000 subscribers: CPU/delivery ≤ 1.5× the WebSocket fan-out's at 50/s",
              Double.isNaN(wsCpu)
                  ? "no WebSocket figure (run everyday first)"
                  : String.format(Locale.ROOT, "%.2f×", ratio),
              Double.isNaN(wsCpu) ? "-" : met(ratio <= 1.5)));
      verdict(
          List.of(
              "SSE 200 notifications/s (200k deliveries/s): p99 < 100 ms, nothing lost",
              String.format(
                  Locale.ROOT,
                  "%s deliveries/s, p99 %s ms, lost %d",
                  Report.number(at200.deliveriesPerSecond()),
                  Report.millis(at200.p99()),
                  at200.lost()),
              met(at200.p99() < 100 && at200.lost() == 0 && at200.closes().isEmpty())));
    }
    servers.stop(node);
  }

  private static double microsOverIdle(Step step, double idle) {
    return step.deliveriesPerSecond() == 0
        ? Double.NaN
        : Math.max(0, step.serverCpu() - idle) * 1e6 / step.deliveriesPerSecond();
  }
}
