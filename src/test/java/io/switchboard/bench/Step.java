package io.switchboard.bench;

/**
 * One measured step: a rate offered for some seconds, and what the receivers got.
 *
 * @param offered messages per second the tool tried to send
 * @param sendRate messages per second it managed to send
 * @param expected deliveries owed (messages sent × receivers of each)
 * @param received deliveries that arrived (within 5 s after the last send)
 * @param deliveriesPerSecond deliveries per second, from the first send to the last receipt
 * @param serverCpu the server processes' CPU time over the step, in cores (1.0 = one core busy)
 * @param closes connections the server closed during the step, by code
 */
public record Step(
    String target,
    double offered,
    double sendRate,
    long expected,
    long received,
    double deliveriesPerSecond,
    double p50,
    double p95,
    double p99,
    double max,
    double serverCpu,
    String closes) {

  long lost() {
    return Math.max(0, expected - received);
  }

  /** Kept up: nothing lost, nobody cut off, p99 within the limit, the rate actually sent. */
  boolean healthy(double p99LimitMillis) {
    return lost() == 0 && closes.isEmpty() && p99 <= p99LimitMillis && sendRate >= 0.95 * offered;
  }

  /** Server CPU time per delivery, in microseconds. */
  double cpuMicrosPerDelivery() {
    return received == 0 ? Double.NaN : serverCpu * 1e6 / deliveriesPerSecond;
  }

  /** The step for the JSON results; what was not measured (no delivery) is null. */
  java.util.Map<String, Object> json() {
    java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
    json.put("target", target);
    json.put("offered", offered);
    json.put("sendRate", sendRate);
    json.put("expected", expected);
    json.put("received", received);
    json.put("lost", lost());
    json.put("deliveriesPerSecond", deliveriesPerSecond);
    json.put("p50Millis", orNull(p50));
    json.put("p95Millis", orNull(p95));
    json.put("p99Millis", orNull(p99));
    json.put("maxMillis", orNull(max));
    json.put("serverCpu", serverCpu);
    json.put("closes", closes);
    return json;
  }

  private static Double orNull(double value) {
    return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
  }
}
