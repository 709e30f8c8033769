package io.switchboard.bench;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's results: Markdown tables for people, JSON for tools. */
final class Report {

  private final StringBuilder markdown = new StringBuilder();
  private final Map<String, Object> json = new LinkedHashMap<>();

  void heading(String title) {
    markdown.append("\n## ").append(title).append("\n\n");
  }

  void text(String text) {
    markdown.append(text).append("\n\n");
  }

  void table(List<String> headers, List<List<String>> rows) {
    markdown.append("| ").append(String.join(" | ", headers)).append(" |\n|");
    headers.forEach(h -> markdown.append("---|"));
    markdown.append('\n');
    for (List<String> row : rows) {
      markdown.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    markdown.append('\n');
  }

  /** Adds data under {@code key} in the JSON results (steps as {@link Step#json()}). */
  void data(String key, Object value) {
    json.put(key, jsonable(value));
  }

  private static Object jsonable(Object value) {
    if (value instanceof Step step) {
      return step.json();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(Report::jsonable).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, jsonable(v)));
      return copy;
    }
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return null;
    }
    return value;
  }

  /** The rows of a ramp: one per step, the best healthy one in bold. */
  void steps(List<Step> steps, double p99Limit, String rateUnit) {
    Step best = Drive.best(steps, p99Limit);
    List<List<String>> rows = new ArrayList<>();
    for (Step step : steps) {
      List<String> row =
          new ArrayList<>(
              List.of(
                  step.target(),
                  number(step.offered()),
                  number(step.deliveriesPerSecond()),
                  millis(step.p50()),
                  millis(step.p95()),
                  millis(step.p99()),
                  millis(step.max()),
                  Long.toString(step.lost()),
                  percent(step.serverCpu()),
                  String.format(Locale.ROOT, "%.2f", step.cpuMicrosPerDelivery()),
                  step.healthy(p99Limit) ? "yes" : why(step, p99Limit)));
      if (step == best) {
        row.replaceAll(cell -> "**" + cell + "**");
      }
      rows.add(row);
    }
    table(
        List.of(
            "target",
            rateUnit,
            "deliveries/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "lost",
            "server CPU",
            "CPU µs/delivery",
            "kept up"),
        rows);
  }

  static String describe(Step step, double p99Limit) {
    return String.format(
        Locale.ROOT,
        "  %s: %s msg/s -> %s deliveries/s, p50 %s p99 %s max %s ms, lost %d, server CPU %s%s",
        step.target(),
        number(step.offered()),
        number(step.deliveriesPerSecond()),
        millis(step.p50()),
        millis(step.p99()),
        millis(step.max()),
        step.lost(),
        percent(step.serverCpu()),
        step.healthy(p99Limit) ? "" : "  <- " + why(step, p99Limit));
  }

  static String why(Step step, double p99Limit) {
    List<String> reasons = new ArrayList<>();
    if (step.lost() > 0) {
      reasons.add(step.lost() + " lost");
    }
    if (!step.closes().isEmpty()) {
      reasons.add("closed: " + step.closes());
    }
    if (step.p99() > p99Limit) {
      reasons.add("p99 > " + number(p99Limit) + " ms");
    }
    if (step.sendRate() < 0.95 * step.offered()) {
      reasons.add("sent only " + number(step.sendRate()) + "/s");
    }
    if (step.serverCpu() < 0.6) {
      reasons.add("server CPU " + percent(step.serverCpu()) + ": the load tool's limit");
    }
    return "no: " + String.join(", ", reasons);
  }

  static String number(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    return value >= 100 || value == Math.rint(value)
        ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  static String millis(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
  }

  static String ratio(double a, double b) {
    return b <= 0 || Double.isNaN(a) || Double.isNaN(b)
        ? "-"
        : String.format(Locale.ROOT, "%.2f×", a / b);
  }

  String markdown() {
    return markdown.toString();
  }

  void write(Path dir, String header) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("results.md"), header + markdown);
    try (Jsonb jsonb = JsonbBuilder.create()) {
      Files.writeString(dir.resolve("results.json"), jsonb.toJson(json));
    } catch (Exception e) {
      throw new IOException("could not write results.json", e);
    }
  }
}
