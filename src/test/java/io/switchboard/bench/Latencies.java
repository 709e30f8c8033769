package io.switchboard.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the clients of one step received: how many payloads, and how long each took from its send
 * time (in the payload, see {@link Payloads}) to its receipt. Safe to record from many threads.
 */
final class Latencies {

  private final Recorder recorder = new Recorder(TimeUnit.MINUTES.toNanos(2), 3);
  private final LongAdder received = new LongAdder();
  private final AtomicLong lastNanos = new AtomicLong();
  private final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();

  /** Records a received payload sent at {@code sentAt} (nanoTime); ignored when negative. */
  void record(long sentAt) {
    if (sentAt < 0) {
      return;
    }
    long now = System.nanoTime();
    recorder.recordValue(Math.max(0, Math.min(now - sentAt, TimeUnit.MINUTES.toNanos(2))));
    received.increment();
    lastNanos.accumulateAndGet(now, Math::max);
  }

  /** A connection was closed by the server, with this code. */
  void closed(int code) {
    closes.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  /** How many connections the server closed, by close code; empty when none. */
  String closes() {
    StringBuilder out = new StringBuilder();
    closes.forEach(
        (code, count) ->
            out.append(out.length() == 0 ? "" : ", ")
                .append(count.sum())
                .append(" × ")
                .append(code));
    return out.toString();
  }

  long received() {
    return received.sum();
  }

  long lastNanos() {
    return lastNanos.get();
  }

  /** Starts a new step: counts from zero. */
  void reset() {
    recorder.reset();
    received.reset();
    lastNanos.set(0);
  }

  /** The latencies since the last reset. */
  Histogram snapshot() {
    return recorder.getIntervalHistogram();
  }

  static double millis(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0
        ? Double.NaN
        : histogram.getValueAtPercentile(percentile) / 1e6;
  }

  static double maxMillis(Histogram histogram) {
    return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1e6;
  }
}
