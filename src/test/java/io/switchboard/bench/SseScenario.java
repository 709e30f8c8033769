package io.switchboard.bench;

import io.switchboard.it.support.PayaraNode;
import java.util.List;

/** sse: subscribers of one topic on one node, notifications published over HTTP. */
final class SseScenario extends Scenario {

  SseScenario(Run run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    PayaraNode node = servers.switchboard("bench-sse", Servers.benchSettings(), false);
    List<Double> rates = List.of(20d, 50d, 100d, 150d, 200d, 300d, 400d, 500d, 700d, 1000d);
    try (SseLoad load = SseLoad.open(node.http(), options.members())) {
      List<Step> ramp =
          Drive.ramp(
              "Switchboard SSE",
              new long[] {node.pid()},
              load.frames(),
              rates,
              options.seconds(),
              options.members(),
              options.p99Limit(),
              load::publish);
      report.heading("sse: " + options.members() + " subscribers of one topic");
      report.text(
          "Notifications are published with `POST /api/notifications` (asynchronously, so that"
              + " the publisher's round trip is not the limit) and delivered on `/api/events`;"
              + " rejected publishes: "
              + load.rejected()
              + ".");
      report.steps(ramp, options.p99Limit(), "notifications/s");
      report.data("sse", ramp);
    }
    servers.stop(node);
  }
}
