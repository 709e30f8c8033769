package io.switchboard.bench;

import static io.switchboard.bench.Bench.progress;

import io.switchboard.it.support.PayaraNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * connect: how fast each server takes new connections (idle members, each its own user, in rooms of
 * 10, opened at a fixed rate by {@code bench/load/connect.js} on the load core: handshake to {@code
 * joined}), and a reconnect storm on Switchboard at its default connect rate: every member dropped
 * at once and reconnected at the same moment with {@code since} and {@code epoch}, as the clients
 * of a lost node do, refused handshakes retried after {@code Retry-After}.
 */
final class ConnectScenario extends Scenario {

  ConnectScenario(Run run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    if (servers.node() == null) {
      report.heading("connect: not run (no Node.js)");
      return;
    }
    int count = Integer.getInteger("bench.connect.count", 10_000);
    int rate = Integer.getInteger("bench.connect.rate", 2000);
    int warmUps = Integer.getInteger("bench.connect.warmups", 3);
    List<NodeLoad.Connects> results = new ArrayList<>();

    PayaraNode payara = servers.switchboard("bench-connect", Servers.benchSettings(), false);
    results.add(
        measure("Switchboard", "switchboard", payara.http(), payara.pid(), count, rate, warmUps));
    servers.stop(payara);
    if (Boolean.parseBoolean(System.getProperty("bench.peers", "true"))) {
      Servers.SocketIo socketIo = servers.socketIo();
      results.add(
          measure(
              "Socket.IO 4 (Node.js)",
              "socketio",
              socketIo.base(),
              socketIo.process().pid(),
              count,
              rate,
              warmUps));
      servers.stop(socketIo);
      Servers.SocketIo ws = servers.rawWs();
      results.add(
          measure("raw ws (Node.js)", "ws", ws.base(), ws.process().pid(), count, rate, warmUps));
      servers.stop(ws);
    }

    // The storm, at the default connect rate (the only limit of the bench settings put back).
    Map<String, String> defaults = new LinkedHashMap<>(Servers.benchSettings());
    defaults.remove("switchboard.limits.connect-rate");
    PayaraNode stormNode = servers.switchboard("bench-storm", defaults, false);
    for (int i = 0; i < warmUps; i++) {
      NodeLoad.connect(
          servers.node(),
          servers.project(),
          "warm-up",
          "switchboard",
          stormNode.http(),
          stormNode.pid(),
          Math.min(count, 3000),
          1000,
          false);
    }
    NodeLoad.Connects storm =
        NodeLoad.connect(
            servers.node(),
            servers.project(),
            "Switchboard",
            "switchboard",
            stormNode.http(),
            stormNode.pid(),
            count,
            1000,
            true);
    progress("storm: %s", storm.raw());
    servers.stop(stormNode);

    report.heading("connect: " + count + " idle members opened at " + rate + "/s");
    report.text(
        "Each member is its own `ws` client and user (`bench/load/connect.js`, on the load core),"
            + " in a room of 10 with `history=0`; connect latency is from opening the TCP"
            + " connection to the `joined` frame (Socket.IO: the join's ack; raw ws: the upgrade)."
            + " Refused handshakes are retried as the chat page does. "
            + warmUps
            + " unmeasured rounds of 3,000 first, for the JIT. Server CPU is over the connecting"
            + " window, idle CPU not subtracted.");
    double wsRate = results.size() > 2 ? results.get(2).number("connectsPerSecond") : Double.NaN;
    List<List<String>> rows = new ArrayList<>();
    for (NodeLoad.Connects r : results) {
      rows.add(
          List.of(
              r.target(),
              Report.number(r.number("connected")),
              Report.number(r.number("connectsPerSecond")),
              Report.millis(r.number("connectP50")),
              Report.millis(r.number("connectP99")),
              Report.percent(r.connectCpu()),
              String.format(
                  Locale.ROOT, "%.0f", r.connectCpu() * 1e6 / r.number("connectsPerSecond")),
              Double.isNaN(wsRate) ? "-" : Report.ratio(r.number("connectsPerSecond"), wsRate)));
    }
    report.table(
        List.of(
            "target",
            "connected",
            "connects/s",
            "p50 ms",
            "p99 ms",
            "server CPU",
            "CPU µs per connect",
            "÷ raw ws's rate"),
        rows);
    report.text(
        String.format(
            Locale.ROOT,
            "Reconnect storm (Switchboard, connect rate at its default of 1000/s, burst 2000): %s"
                + " of %s members dropped at once were resumed with `recovered:true` in %.1f s"
                + " (reconnect p50 %s ms, p99 %s ms); %s handshakes were answered 503 and"
                + " retried, %s members were given up, %s resumed without `recovered:true`."
                + " Server CPU during the storm: %s.",
            Report.number(storm.number("stormResumed")),
            Report.number(count),
            storm.number("stormSeconds"),
            Report.millis(storm.number("stormP50")),
            Report.millis(storm.number("stormP99")),
            Report.number(storm.number("refused")),
            Report.number(storm.number("givenUp")),
            Report.number(storm.number("notRecovered")),
            Report.percent(storm.stormCpu())));
    report.data("connect", results.stream().map(NodeLoad.Connects::raw).toList());
    report.data("storm", List.of(storm.raw()));
    NodeLoad.Connects switchboard = results.get(0);
    verdict(
        List.of(
            "≥ 2,000 connects/s, p99 connect < 100 ms, up to " + count,
            String.format(
                Locale.ROOT,
                "%s/s, p99 %s ms",
                Report.number(switchboard.number("connectsPerSecond")),
                Report.millis(switchboard.number("connectP99"))),
            met(
                switchboard.number("connectsPerSecond") >= 0.97 * 2000
                    && switchboard.number("connectP99") < 100
                    && switchboard.number("connected") == count)));
    verdict(
        List.of(
            "reconnect storm of "
                + count
                + ": all resumed (recovered:true) within 10 s, none given up",
            String.format(
                Locale.ROOT,
                "%s resumed in %.1f s, %s given up",
                Report.number(storm.number("stormResumed")),
                storm.number("stormSeconds"),
                Report.number(storm.number("givenUp"))),
            met(
                storm.number("stormResumed") == count
                    && storm.number("stormSeconds") <= 10
                    && storm.number("givenUp") == 0)));
  }

  private NodeLoad.Connects measure(
      String name, String protocol, java.net.URI base, long pid, int count, int rate, int warmUps)
      throws Exception {
    for (int i = 0; i < warmUps; i++) {
      progress("%s: connect warm-up %d", name, i + 1);
      NodeLoad.connect(
          servers.node(),
          servers.project(),
          name,
          protocol,
          base,
          pid,
          Math.min(count, 3000),
          Math.min(rate, 1000),
          false);
    }
    NodeLoad.Connects result =
        NodeLoad.connect(
            servers.node(), servers.project(), name, protocol, base, pid, count, rate, false);
    progress("%s: %s", name, result.raw());
    return result;
  }
}
