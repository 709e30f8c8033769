package io.switchboard.bench;

import io.switchboard.bench.Swarm.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;

/** Drives load: opens members, sends at a paced rate, measures steps and ramps. */
final class Drive {

  /** How long receivers may lag behind the last send before what is missing counts as lost. */
  static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** Seconds of each warm-up rate. */
  static final double WARM_UP_SECONDS = 5;

  private Drive() {}

  /** Opens {@code count} members of {@code target}; member i joins {@code roomOf.apply(i)}. */
  static List<Connection> members(
      Targets.Target target, int count, IntFunction<String> roomOf, Latencies frames)
      throws Exception {
    List<Connection> sockets = new ArrayList<>(count);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      sockets.add(target.connect(roomOf.apply(i), i, frames));
      if ((i + 1) % 500 == 0 || i + 1 == count) {
        Bench.progress(
            "  %s: %d/%d members connected (%.0f/s)",
            target.name(), i + 1, count, (i + 1) / ((System.nanoTime() - start) / 1e9));
      }
    }
    return sockets;
  }

  static void abort(List<Connection> sockets) {
    sockets.forEach(Connection::abort);
    sockets.clear();
  }

  /**
   * Sends {@code rate} messages per second for {@code seconds} (message n through {@code send}),
   * waits for the deliveries owed ({@code perMessage} per message), and reports.
   */
  static Step measure(
      String target,
      long[] pids,
      Latencies frames,
      double rate,
      double seconds,
      long perMessage,
      LongConsumer send) {
    frames.reset();
    long cpuBefore = cpu(pids);
    long start = System.nanoTime();
    long interval = (long) (1e9 / rate);
    long total = Math.max(1, Math.round(rate * seconds));
    long sent = 0;
    int failures = 0;
    for (long n = 0; n < total; n++) {
      long wait = start + n * interval - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      try {
        send.accept(n);
        sent++;
      } catch (RuntimeException e) {
        if (++failures == 1) {
          Bench.progress("  send failed: %s", e);
        }
      }
    }
    long sendEnd = System.nanoTime();
    long expected = sent * perMessage;
    while (frames.received() < expected && System.nanoTime() - sendEnd < GRACE_NANOS) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    long end = System.nanoTime();
    long cpu = cpu(pids) - cpuBefore;
    Histogram latencies = frames.snapshot();
    long received = frames.received();
    long last = Math.max(frames.lastNanos(), start + 1);
    return new Step(
        target,
        rate,
        sent / ((sendEnd - start) / 1e9),
        expected,
        received,
        received / ((last - start) / 1e9),
        Latencies.millis(latencies, 50),
        Latencies.millis(latencies, 95),
        Latencies.millis(latencies, 99),
        Latencies.maxMillis(latencies),
        cpu / (double) (end - start),
        frames.closes());
  }

  /**
   * Raises the rate through {@code rates} until a step is unhealthy (p99 over the limit, a loss, a
   * close, or the rate not sent), then tries once between the last healthy rate and that one.
   */
  static List<Step> ramp(
      String target,
      long[] pids,
      Latencies frames,
      List<Double> rates,
      double seconds,
      long perMessage,
      double p99Limit,
      LongConsumer send) {
    warmUp(target, pids, frames, rates.subList(0, Math.min(3, rates.size())), perMessage, send);
    List<Step> steps = new ArrayList<>();
    Step best = null;
    Step failed = null;
    for (double rate : rates) {
      Step step = measure(target, pids, frames, rate, seconds, perMessage, send);
      steps.add(step);
      Bench.progress("%s", Report.describe(step, p99Limit));
      if (!step.healthy(p99Limit)) {
        failed = step;
        break;
      }
      best = step;
    }
    // Between the last two rates, unless the failed step cut connections (the room is not whole).
    if (best != null
        && failed != null
        && failed.closes().isEmpty()
        && failed.offered() > best.offered() * 1.15) {
      quiesce(frames);
      double middle = Math.round((best.offered() + failed.offered()) / 2);
      Step step = measure(target, pids, frames, middle, seconds, perMessage, send);
      steps.add(step);
      Bench.progress("%s (between the last two)", Report.describe(step, p99Limit));
    }
    quiesce(frames);
    return steps;
  }

  /**
   * Runs {@code rates} for {@link #WARM_UP_SECONDS} each, unmeasured: the server's JIT compiles its
   * hot paths on the server's one core, and the first steps after a start were measured at several
   * times the latency of the same step a minute later.
   */
  static void warmUp(
      String target,
      long[] pids,
      Latencies frames,
      List<Double> rates,
      long perMessage,
      LongConsumer send) {
    for (double rate : rates) {
      Bench.progress("  %s: warming up at %s msg/s", target, Report.number(rate));
      measure(target, pids, frames, rate, WARM_UP_SECONDS, perMessage, send);
      quiesce(frames);
    }
  }

  /** The best healthy step of a ramp, or null. */
  static Step best(List<Step> steps, double p99Limit) {
    Step best = null;
    for (Step step : steps) {
      if (step.healthy(p99Limit)
          && (best == null || step.deliveriesPerSecond() > best.deliveriesPerSecond())) {
        best = step;
      }
    }
    return best;
  }

  /** Waits until the receivers have had nothing for a second (a backlog drained), at most 30 s. */
  static void quiesce(Latencies frames) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long seen = -1;
    while (System.nanoTime() < deadline) {
      long now = frames.received();
      if (now == seen) {
        return;
      }
      seen = now;
      LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
    }
  }

  private static long cpu(long[] pids) {
    long total = 0;
    for (long pid : pids) {
      total += Machine.cpuNanos(pid);
    }
    return total;
  }
}
