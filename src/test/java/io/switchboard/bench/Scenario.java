package io.switchboard.bench;

import static io.switchboard.bench.Bench.progress;

import io.switchboard.bench.Swarm.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * One scenario of the benchmark: it starts the servers it measures, drives them, and adds its
 * section to the report and its verdicts to the targets table. What scenarios share is in {@link
 * Run}.
 */
abstract class Scenario {

  /**
   * What the run was asked for.
   *
   * @param members the fan-out room's size
   * @param seconds each step's length
   * @param connections the idle-connection counts reached in turn
   * @param p99Limit the p99 latency (ms) above which a step did not keep up
   */
  record Options(int members, double seconds, List<Integer> connections, double p99Limit) {}

  /**
   * One run: its servers, its report and targets, and what a later scenario needs of an earlier.
   */
  static final class Run {
    final Servers servers;
    final Options options;
    final Report report = new Report();
    final List<List<String>> targets = new ArrayList<>();

    /** Switchboard's best fan-out step (null until fanout ran, or when none kept up). */
    Step fanoutBest;

    /** Switchboard's figure in each everyday case, by the case's name (empty until it ran). */
    final java.util.Map<String, NodeLoad.Result> everyday = new java.util.HashMap<>();

    Run(Servers servers, Options options) {
      this.servers = servers;
      this.options = options;
    }
  }

  /** Fan-out rates tried, in messages per second (the ramp stops at the first unhealthy one). */
  static final List<Double> FANOUT_RATES =
      List.of(10d, 20d, 50d, 100d, 150d, 200d, 300d, 400d, 500d, 700d, 1000d, 1500d, 2000d, 3000d);

  protected final Run run;
  protected final Servers servers;
  protected final Report report;
  protected final Options options;

  Scenario(Run run) {
    this.run = run;
    this.servers = run.servers;
    this.report = run.report;
    this.options = run.options;
  }

  abstract void run() throws Exception;

  /** A row of the targets table: the target, what was measured, and whether it was met. */
  protected void verdict(List<String> row) {
    run.targets.add(row);
  }

  /** Opens the fanout room and a sender on {@code target}, and ramps. */
  protected List<Step> fanoutRamp(Targets.Target target, long[] pids) throws Exception {
    progress("%s: %d members", target.name(), options.members());
    try (FanoutRoom room = new FanoutRoom(target, options.members())) {
      return Drive.ramp(
          target.name(),
          pids,
          room.frames,
          FANOUT_RATES,
          options.seconds(),
          options.members(),
          options.p99Limit(),
          room::send);
    }
  }

  /**
   * The fanout room at each rate: a gentle warm-up (a cold node pushed straight to a high rate
   * falls behind and cuts its slowest clients with 4009), then the median-p99 run of three.
   */
  protected List<Step> steady(Targets.Target target, long[] pids, List<Double> rates)
      throws Exception {
    try (FanoutRoom room = new FanoutRoom(target, options.members())) {
      Latencies frames = room.frames;
      java.util.function.LongConsumer send = room::send;
      double top = rates.get(rates.size() - 1);
      Drive.warmUp(
          target.name(),
          pids,
          frames,
          List.of(top / 16, top / 8, top / 4, top / 2, top),
          options.members(),
          send);
      List<Step> result = new ArrayList<>();
      for (double rate : rates) {
        List<Step> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          Step step =
              Drive.measure(
                  target.name(), pids, frames, rate, options.seconds(), options.members(), send);
          progress("%s", Report.describe(step, options.p99Limit()));
          runs.add(step);
          Drive.quiesce(frames);
        }
        runs.sort((x, y) -> Double.compare(x.p99(), y.p99()));
        result.add(runs.get(1));
      }
      return result;
    }
  }

  /** One room of members on a target and a sender that is not counted as a receiver. */
  static final class FanoutRoom implements AutoCloseable {
    private final Targets.Target target;
    private final String name = "fanout-" + System.nanoTime();
    private final Latencies frames = new Latencies();
    private final List<Connection> members;
    private final Connection sender;

    FanoutRoom(Targets.Target target, int count) throws Exception {
      this.target = target;
      this.members = Drive.members(target, count, i -> name, frames);
      try {
        this.sender = target.connect(name, -1, null);
      } catch (Exception e) {
        Drive.abort(members);
        throw e;
      }
    }

    /** Sends message {@code n} (a stamped payload). */
    void send(long n) {
      sender.send(target.frame(name, Payloads.stamped()));
    }

    @Override
    public void close() {
      sender.abort();
      Drive.abort(members);
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  static double ratioOf(Step a, Step b) {
    return a == null || b == null ? Double.NaN : a.deliveriesPerSecond() / b.deliveriesPerSecond();
  }

  static String ratio(Step a, Step b) {
    return a == null || b == null
        ? "-"
        : Report.ratio(a.deliveriesPerSecond(), b.deliveriesPerSecond());
  }

  static String met(boolean met) {
    return met ? "yes" : "**no**";
  }
}
