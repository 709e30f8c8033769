package io.switchboard.bench;

import static io.switchboard.bench.Bench.progress;

import io.switchboard.it.support.PayaraNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * everyday: the fixed, everyday rates of the performance targets, driven by the independent Node.js
 * generator (every member its own {@code ws} client and user), with a JIT warm-up, against
 * Switchboard, Socket.IO and the raw {@code ws} peer in turn: fan-out 1000 × 20 msg/s, 2000 × 10
 * and 1000 × 50 (the WebSocket side of the SSE comparison), and chatty 200 rooms × 10 members at 1
 * msg/s each. Reports server CPU per delivery beyond each server's idle CPU, the median of the
 * repetitions, and each figure as a ratio to the peers'.
 */
final class EverydayScenario extends Scenario {

  /** The performance target a case is held to. */
  enum Goal {
    /** CPU per delivery at most the raw ws peer's, p99 under 50 ms, nothing lost. */
    RAW_WS,
    /** Not saturated, p99 under 50 ms, CPU per delivery at most 0.8× Socket.IO's. */
    SOCKET_IO,
    /** Measured for comparison only (the SSE case's WebSocket side). */
    NONE
  }

  /**
   * One fixed-rate case: rooms of members, of whom {@code senders} send {@code rate} msg/s, held to
   * {@code goal}.
   */
  record Case(String name, int rooms, int perRoom, int senders, double rate, Goal goal) {
    double deliveries() {
      return rooms * senders * rate * perRoom;
    }
  }

  static final List<Case> CASES =
      List.of(
          new Case("fanout 1000 × 20 msg/s", 1, 1000, 1, 20, Goal.RAW_WS),
          new Case("fanout 2000 × 10 msg/s", 1, 2000, 1, 10, Goal.RAW_WS),
          new Case("fanout 1000 × 50 msg/s", 1, 1000, 1, 50, Goal.NONE),
          new Case("chatty 200 rooms × 10, 1 msg/s per member", 200, 10, 10, 1, Goal.SOCKET_IO));

  /** A Node.js peer: its name in the tables and the protocol the generator speaks to it. */
  private record Peer(String name, String protocol, Start start) {}

  /** Starts a peer's server. */
  @FunctionalInterface
  private interface Start {
    Servers.SocketIo start() throws Exception;
  }

  /** The WebSocket figure the SSE case is compared with. */
  static final String SSE_COMPANION = "fanout 1000 × 50 msg/s";

  EverydayScenario(Run run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    Path node = servers.node();
    if (node == null) {
      report.heading("everyday: not run (no Node.js)");
      return;
    }
    double warmUp = Double.parseDouble(System.getProperty("bench.warmup", "15"));
    double seconds = Math.max(10, options.seconds());
    int repetitions = Integer.getInteger("bench.repetitions", 3);
    String only = System.getProperty("bench.cases", "");
    List<Case> cases =
        CASES.stream().filter(c -> only.isBlank() || c.name().startsWith(only)).toList();
    Map<Case, List<NodeLoad.Result>> results = new LinkedHashMap<>();
    cases.forEach(c -> results.put(c, new ArrayList<>()));

    PayaraNode payara = servers.switchboard("bench-everyday", Servers.benchSettings(), false);
    measureAll(
        cases,
        results,
        "Switchboard",
        "switchboard",
        payara.http(),
        payara.pid(),
        warmUp,
        seconds,
        repetitions);
    servers.stop(payara);
    // -Dbench.peers=false measures Switchboard alone (quicker, while working on it).
    if (Boolean.parseBoolean(System.getProperty("bench.peers", "true"))) {
      List<Peer> peers =
          List.of(
              new Peer("Socket.IO 4 (Node.js)", "socketio", servers::socketIo),
              new Peer("raw ws (Node.js)", "ws", servers::rawWs));
      for (Peer peer : peers) {
        Servers.SocketIo server = peer.start().start();
        measureAll(
            cases,
            results,
            peer.name(),
            peer.protocol(),
            server.base(),
            server.process().pid(),
            warmUp,
            seconds,
            repetitions);
        servers.stop(server);
      }
    }
    report.heading("everyday rates (independent generator)");
    report.text(
        "Each member is its own `ws` client and user on Node.js (`bench/load/chatty.js`, on the"
            + " load core), sending 64-character messages on its own timer; "
            + Report.number(warmUp)
            + " s of warm-up before each measurement, then "
            + Report.number(seconds)
            + " s measured"
            + (repetitions > 1 ? ", the median of " + repetitions + " runs" : "")
            + ". CPU per delivery is the server's CPU beyond its idle CPU (measured for 5 s before"
            + " the clients connected).");
    for (Map.Entry<Case, List<NodeLoad.Result>> entry : results.entrySet()) {
      table(entry.getKey(), entry.getValue());
      report.data(
          "everyday " + entry.getKey().name(),
          entry.getValue().stream().map(NodeLoad.Result::step).toList());
    }
    for (Map.Entry<Case, List<NodeLoad.Result>> entry : results.entrySet()) {
      verdicts(entry.getKey(), entry.getValue());
    }
    run.everyday.putAll(
        results.entrySet().stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    e -> e.getKey().name(), e -> e.getValue().get(0))));
  }

  private void measureAll(
      List<Case> cases,
      Map<Case, List<NodeLoad.Result>> results,
      String name,
      String protocol,
      URI base,
      long pid,
      double warmUp,
      double seconds,
      int repetitions)
      throws Exception {
    for (Case c : cases) {
      progress("%s: %s", name, c.name());
      List<NodeLoad.Result> runs = new ArrayList<>();
      for (int i = 0; i < repetitions; i++) {
        NodeLoad.Result result =
            NodeLoad.chatty(
                servers.node(),
                servers.project(),
                name,
                protocol,
                base,
                pid,
                c.rooms(),
                c.perRoom(),
                c.senders(),
                c.rate(),
                warmUp,
                seconds);
        progress("%s", Report.describe(result.step(), 50));
        progress(
            "  idle CPU %s, CPU µs/delivery over idle %.1f",
            Report.percent(result.idleCpu()), result.cpuMicrosPerDeliveryOverIdle());
        runs.add(result);
      }
      runs.sort(
          (a, b) ->
              Double.compare(a.cpuMicrosPerDeliveryOverIdle(), b.cpuMicrosPerDeliveryOverIdle()));
      results.get(c).add(runs.get(runs.size() / 2));
    }
  }

  private static double cpuOf(List<NodeLoad.Result> results, String target) {
    return results.stream()
        .filter(r -> r.step().target().startsWith(target))
        .mapToDouble(NodeLoad.Result::cpuMicrosPerDeliveryOverIdle)
        .findFirst()
        .orElse(Double.NaN);
  }

  private static String times(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) || b == 0
        ? "-"
        : String.format(Locale.ROOT, "%.2f×", a / b);
  }

  private void table(Case c, List<NodeLoad.Result> results) {
    double socketIo = cpuOf(results, "Socket.IO");
    double ws = cpuOf(results, "raw ws");
    report.heading(c.name() + " (" + Report.number(c.deliveries()) + " deliveries/s)");
    List<List<String>> rows = new ArrayList<>();
    for (NodeLoad.Result result : results) {
      Step step = result.step();
      double cpu = result.cpuMicrosPerDeliveryOverIdle();
      rows.add(
          List.of(
              step.target(),
              Report.number(step.deliveriesPerSecond()),
              Long.toString(step.lost()),
              Report.millis(step.p50()),
              Report.millis(step.p99()),
              Report.percent(step.serverCpu()),
              Report.percent(result.idleCpu()),
              String.format(Locale.ROOT, "%.1f", cpu),
              times(cpu, socketIo),
              times(cpu, ws)));
    }
    report.table(
        List.of(
            "target",
            "deliveries/s",
            "lost",
            "p50 ms",
            "p99 ms",
            "server CPU",
            "idle CPU",
            "CPU µs/delivery over idle",
            "÷ Socket.IO's",
            "÷ raw ws's"),
        rows);
  }

  private void verdicts(Case c, List<NodeLoad.Result> results) {
    NodeLoad.Result switchboard = results.get(0);
    Step step = switchboard.step();
    double cpu = switchboard.cpuMicrosPerDeliveryOverIdle();
    if (c.goal() == Goal.RAW_WS) {
      double ws = cpuOf(results, "raw ws");
      verdict(
          List.of(
              c.name() + ": CPU/delivery ≤ raw ws's, p99 < 50 ms, nothing lost",
              String.format(
                  Locale.ROOT,
                  "%.1f µs (%s raw ws's), p99 %s ms, lost %d",
                  cpu,
                  times(cpu, ws),
                  Report.millis(step.p99()),
                  step.lost()),
              met(cpu <= ws && step.p99() < 50 && step.lost() == 0)));
    } else if (c.goal() == Goal.SOCKET_IO) {
      double socketIo = cpuOf(results, "Socket.IO");
      verdict(
          List.of(
              c.name() + ": not saturated, p99 < 50 ms, CPU/delivery ≤ 0.8× Socket.IO's",
              String.format(
                  Locale.ROOT,
                  "CPU %s, p99 %s ms, %s Socket.IO's CPU/delivery",
                  Report.percent(step.serverCpu()),
                  Report.millis(step.p99()),
                  times(cpu, socketIo)),
              met(
                  step.serverCpu() < 0.9
                      && step.p99() < 50
                      && step.lost() == 0
                      && cpu <= 0.8 * socketIo)));
    }
  }
}
