package io.switchboard.bench;

import static io.switchboard.bench.Bench.progress;

import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RedisProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * cluster: the fanout room on one in-memory node, on one node over Redis, and over two nodes
 * sharing one Redis.
 */
final class ClusterScenario extends Scenario {

  ClusterScenario(Run run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    double max =
        run.fanoutBest != null
            ? run.fanoutBest.offered()
            : Double.parseDouble(System.getProperty("bench.max-rate", "100"));
    double rate = Math.max(10, Math.round(max / 2));
    double low = Math.min(100, rate);
    List<Double> rates = low < rate ? List.of(low, rate) : List.of(rate);
    progress(
        "Redis hop at %s msg/s (half the single-node maximum%s), and at %s msg/s",
        Report.number(rate),
        run.fanoutBest == null ? ", from bench.max-rate as fanout did not run" : "",
        Report.number(low));
    List<Step> steps = new ArrayList<>();

    PayaraNode memory = servers.switchboard("bench-memory", Servers.benchSettings(), false);
    List<Step> inMemory =
        steady(
            Targets.switchboard("in memory, 1 node", List.of(memory.http()), memory.pid()),
            new long[] {memory.pid()},
            rates);
    steps.addAll(inMemory);
    servers.stop(memory);

    RedisProcess redis = servers.redis();
    Map<String, String> settings = Servers.benchSettings();
    settings.putAll(redis.nodeSettings("bench:"));
    PayaraNode a = servers.switchboard("bench-redis-a", settings, false);
    List<Step> oneNode =
        steady(
            Targets.switchboard("Redis, 1 node", List.of(a.http()), a.pid()),
            new long[] {a.pid(), redis.pid()},
            rates);
    steps.addAll(oneNode);
    PayaraNode b = servers.switchboard("bench-redis-b", settings, false);
    Targets.Target two =
        Targets.switchboard("Redis, 2 nodes", List.of(a.http(), b.http()), a.pid());
    long[] pids = {a.pid(), b.pid(), redis.pid()};
    List<Step> twoNodes = steady(two, pids, rates);
    steps.addAll(twoNodes);
    List<Step> ramp = fanoutRamp(two, pids);
    servers.stop(b);
    servers.stop(a);
    servers.stop(redis);

    report.heading("cluster: the fanout room over Redis");
    report.text(
        "The fanout room at "
            + rates.stream().map(Report::number).toList()
            + " msg/s (the last is half of Switchboard's single-node maximum) with the members on"
            + " one in-memory node, on one node with Redis, and spread over two nodes sharing one"
            + " Redis; each row is the median-p99 run of three after a warm-up. Every server"
            + " process (both nodes and Redis) shares the one server core, so two nodes measure the"
            + " correctness of the split and the cost of the hop, not a speed-up.");
    report.steps(steps, options.p99Limit(), "msg/s");
    List<List<String>> hops = new ArrayList<>();
    for (int i = 0; i < rates.size(); i++) {
      hops.add(
          List.of(
              Report.number(rates.get(i)),
              Report.millis(oneNode.get(i).p50() - inMemory.get(i).p50()),
              Report.millis(oneNode.get(i).p99() - inMemory.get(i).p99()),
              Report.millis(twoNodes.get(i).p99() - inMemory.get(i).p99())));
    }
    report.text("What Redis adds to the in-memory node's latency:");
    report.table(List.of("msg/s", "p50 ms (1 node)", "p99 ms (1 node)", "p99 ms (2 nodes)"), hops);
    report.text("Two nodes on Redis, ramped like fanout:");
    report.steps(ramp, options.p99Limit(), "msg/s offered");
    Step memoryAtHalf = inMemory.get(inMemory.size() - 1);
    Step redisAtHalf = oneNode.get(oneNode.size() - 1);
    double hop = redisAtHalf.p99() - memoryAtHalf.p99();
    report.data("cluster", Map.of("steady", steps, "ramp", ramp, "hopP99Millis", hop));
    verdict(
        List.of(
            "Redis hop < 2 ms at p99 at half the single-node maximum ("
                + Report.number(rate)
                + " msg/s)",
            String.format(
                Locale.ROOT,
                "%.1f ms (p99 %.1f in memory, %.1f with Redis)",
                hop,
                memoryAtHalf.p99(),
                redisAtHalf.p99()),
            met(
                hop < 2
                    && redisAtHalf.healthy(options.p99Limit())
                    && memoryAtHalf.healthy(options.p99Limit()))));
  }
}
