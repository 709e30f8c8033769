package io.switchboard.bench;

import static io.switchboard.bench.Bench.progress;

import io.switchboard.it.support.PayaraNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * everyday: the chatty case at a fixed, everyday rate (200 rooms of 10 members, each member sending
 * 1 message per second on its own timer), driven by the independent Node.js generator, with a JIT
 * warm-up, against Switchboard, Socket.IO and the raw {@code ws} peer in turn. Reports server CPU
 * per delivery beyond each server's idle CPU, and the median of the repetitions.
 */
final class EverydayScenario extends Scenario {

  static final int ROOMS = 200;
  static final int PER_ROOM = 10;
  static final double RATE = 1;

  EverydayScenario(Run run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    Path node = servers.node();
    double warmUp = Double.parseDouble(System.getProperty("bench.warmup", "20"));
    double seconds = Math.max(10, options.seconds());
    int repetitions = Integer.getInteger("bench.repetitions", 1);
    List<NodeLoad.Result> results = new ArrayList<>();
    if (node == null) {
      report.heading("everyday: not run (no Node.js)");
      return;
    }
    Target measure =
        (name, protocol, base, pid) ->
            median(
                repetitions,
                () ->
                    NodeLoad.chatty(
                        node,
                        servers.project(),
                        name,
                        protocol,
                        base,
                        pid,
                        ROOMS,
                        PER_ROOM,
                        RATE,
                        warmUp,
                        seconds));
    PayaraNode payara = servers.switchboard("bench-everyday", Servers.benchSettings(), false);
    results.add(measure.run("Switchboard", "switchboard", payara.http(), payara.pid()));
    servers.stop(payara);
    // -Dbench.peers=false measures Switchboard alone (quicker, while working on it).
    List<String> peers =
        Boolean.parseBoolean(System.getProperty("bench.peers", "true"))
            ? List.of("socketio", "ws")
            : List.of();
    for (String peer : peers) {
      Servers.SocketIo server = peer.equals("ws") ? servers.rawWs() : servers.socketIo();
      String name = peer.equals("ws") ? "raw ws (Node.js)" : "Socket.IO 4 (Node.js)";
      results.add(measure.run(name, peer, server.base(), server.process().pid()));
      servers.stop(server);
    }
    report.heading(
        "everyday chatty: "
            + ROOMS
            + " rooms × "
            + PER_ROOM
            + ", each member "
            + Report.number(RATE)
            + " msg/s (independent generator)");
    report.text(
        "Each member is its own `ws` client and user on Node.js (`bench/load/chatty.js`, on the"
            + " load core), sending 64-character messages on its own timer; "
            + Report.number(warmUp)
            + " s of warm-up, then "
            + Report.number(seconds)
            + " s measured"
            + (repetitions > 1 ? ", median of " + repetitions + " runs" : "")
            + ". CPU per delivery is the server's CPU beyond its idle CPU (measured for 5 s before"
            + " any client connected).");
    Step socketIo = results.size() > 1 ? results.get(1).step() : null;
    double socketIoCpu =
        results.size() > 1 ? results.get(1).cpuMicrosPerDeliveryOverIdle() : Double.NaN;
    List<List<String>> rows = new ArrayList<>();
    for (NodeLoad.Result result : results) {
      Step step = result.step();
      rows.add(
          List.of(
              step.target(),
              Report.number(step.sendRate()),
              Report.number(step.deliveriesPerSecond()),
              Long.toString(step.lost()),
              Report.millis(step.p50()),
              Report.millis(step.p99()),
              Report.percent(step.serverCpu()),
              Report.percent(result.idleCpu()),
              String.format(Locale.ROOT, "%.1f", result.cpuMicrosPerDeliveryOverIdle()),
              socketIo == null
                  ? "-"
                  : String.format(
                      Locale.ROOT, "%.2f×", result.cpuMicrosPerDeliveryOverIdle() / socketIoCpu)));
    }
    report.table(
        List.of(
            "target",
            "msg/s sent",
            "deliveries/s",
            "lost",
            "p50 ms",
            "p99 ms",
            "server CPU",
            "idle CPU",
            "CPU µs/delivery over idle",
            "÷ Socket.IO's"),
        rows);
    report.data("everyday", results.stream().map(NodeLoad.Result::step).toList());
    NodeLoad.Result switchboard = results.get(0);
    verdict(
        List.of(
            "everyday chatty: not saturated, p99 < 50 ms, CPU/delivery ≤ 0.8× Socket.IO's",
            String.format(
                Locale.ROOT,
                "CPU %s, p99 %s ms, %.2f× Socket.IO's CPU/delivery",
                Report.percent(switchboard.step().serverCpu()),
                Report.millis(switchboard.step().p99()),
                switchboard.cpuMicrosPerDeliveryOverIdle() / socketIoCpu),
            met(
                switchboard.step().serverCpu() < 0.9
                    && switchboard.step().p99() < 50
                    && switchboard.step().lost() == 0
                    && switchboard.cpuMicrosPerDeliveryOverIdle() <= 0.8 * socketIoCpu)));
  }

  interface Measure {
    NodeLoad.Result run() throws Exception;
  }

  /** One target measured by the generator: its name, protocol, base URL and server process. */
  interface Target {
    NodeLoad.Result run(String name, String protocol, java.net.URI base, long pid) throws Exception;
  }

  /** The run with the median CPU per delivery of {@code repetitions}. */
  private static NodeLoad.Result median(int repetitions, Measure measure) throws Exception {
    List<NodeLoad.Result> runs = new ArrayList<>();
    for (int i = 0; i < repetitions; i++) {
      NodeLoad.Result result = measure.run();
      progress("%s", Report.describe(result.step(), 50));
      progress(
          "  idle CPU %s, CPU µs/delivery over idle %.1f, connect p99 %.0f ms",
          Report.percent(result.idleCpu()),
          result.cpuMicrosPerDeliveryOverIdle(),
          result.connectP99());
      runs.add(result);
    }
    runs.sort(
        (a, b) ->
            Double.compare(a.cpuMicrosPerDeliveryOverIdle(), b.cpuMicrosPerDeliveryOverIdle()));
    return runs.get(runs.size() / 2);
  }
}
