package io.switchboard.bench;

import io.switchboard.it.support.PayaraNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * fanout: one sender, one room of members; Switchboard, the bare endpoint and Socket.IO ramped side
 * by side.
 */
final class FanoutScenario extends Scenario {

  FanoutScenario(Run run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    PayaraNode node = servers.switchboard("bench-fanout", Servers.benchSettings(), true);
    Servers.SocketIo socketIo = servers.socketIo();
    List<Targets.Target> all = new ArrayList<>();
    all.add(Targets.switchboard("Switchboard", List.of(node.http()), node.pid()));
    all.add(Targets.bare(node.http(), node.pid()));
    if (socketIo != null) {
      all.add(Targets.socketIo(socketIo.base(), socketIo.process().pid()));
    }
    Map<Targets.Target, List<Step>> ramps = new LinkedHashMap<>();
    for (Targets.Target target : all) {
      ramps.put(target, fanoutRamp(target, new long[] {target.pid()}));
    }
    servers.stop(node);
    if (socketIo != null) {
      servers.stop(socketIo);
    }

    report.heading("fanout: one sender, one room of " + options.members() + " members");
    report.text(
        "Each target is ramped through "
            + FANOUT_RATES.stream().map(Report::number).toList()
            + " messages per second until a step does not keep up; the bold row is the best step"
            + " that did. Server CPU is the server process's CPU time over the step (100% = the"
            + " one core it has).");
    List<Step> steps = new ArrayList<>();
    ramps.values().forEach(steps::addAll);
    report.steps(steps, options.p99Limit(), "msg/s offered");
    List<Step> best = new ArrayList<>();
    ramps.values().forEach(r -> best.add(Drive.best(r, options.p99Limit())));
    Step fanoutSwitchboard = best.get(0);
    Step fanoutBare = best.get(1);
    Step fanoutSocketIo = best.size() > 2 ? best.get(2) : null;
    run.fanoutBest = fanoutSwitchboard;
    report.text("Side by side, each at its best step that kept up:");
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Step step = best.get(i);
      rows.add(
          List.of(
              all.get(i).name(),
              step == null ? "-" : Report.number(step.offered()),
              step == null ? "-" : Report.number(step.deliveriesPerSecond()),
              step == null ? "-" : Report.millis(step.p99()),
              step == null ? "-" : String.format(Locale.ROOT, "%.2f", step.cpuMicrosPerDelivery()),
              ratio(fanoutSwitchboard, step)));
    }
    report.table(
        List.of(
            "target",
            "msg/s",
            "deliveries/s",
            "p99 ms",
            "CPU µs/delivery",
            "Switchboard's deliveries/s ÷ this"),
        rows);
    report.data("fanout", steps);
    verdict(
        List.of(
            "fanout, " + options.members() + " members: ≥ 0.7× the bare endpoint",
            ratio(fanoutSwitchboard, fanoutBare),
            met(ratioOf(fanoutSwitchboard, fanoutBare) >= 0.7)));
    verdict(
        List.of(
            "fanout: ≥ 2× Socket.IO",
            fanoutSocketIo == null
                ? "Socket.IO not run (no Node.js)"
                : ratio(fanoutSwitchboard, fanoutSocketIo),
            fanoutSocketIo == null
                ? "not measured"
                : met(ratioOf(fanoutSwitchboard, fanoutSocketIo) >= 2)));
    verdict(
        List.of(
            "fanout: p99 < 100 ms and no loss at that rate",
            fanoutSwitchboard == null
                ? "no step kept up"
                : Report.number(fanoutSwitchboard.deliveriesPerSecond())
                    + " deliveries/s, p99 "
                    + Report.millis(fanoutSwitchboard.p99())
                    + " ms, lost "
                    + fanoutSwitchboard.lost(),
            met(fanoutSwitchboard != null)));
  }
}
