package io.switchboard.bench;

import static io.switchboard.bench.Bench.mib;
import static io.switchboard.bench.Bench.progress;

import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.WildFlyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** connections: idle WebSocket connections on one node, and what each costs in memory. */
final class ConnectionsScenario extends Scenario {

  ConnectionsScenario(Run run) {
    super(run);
  }

  /** What one container held: the table's rows and the figures the verdicts need. */
  private record Held(
      List<List<String>> rows,
      List<Map<String, Object>> data,
      int reached,
      boolean clean,
      double perConnection,
      long lastHeap) {}

  @Override
  void run() throws Exception {
    PayaraNode node = servers.switchboard("bench-connections", Servers.benchSettings(), false);
    Held payara;
    try {
      payara = hold("Payara Micro", node.pid(), node.ws("/ws/chat/idle-"), "connections-heap.txt");
    } finally {
      servers.stop(node);
    }
    Held wildfly = null;
    Path home = wildflyHome();
    if (home == null) {
      progress("WildFly left out: no distribution at bench.wildfly.home (mvn -Pbench unpacks one)");
    } else {
      progress("starting WildFly (%s)", home.getFileName());
      try (WildFlyServer server =
          WildFlyServer.start(
              home,
              "bench-wildfly",
              Machine.serverPrefix(),
              wildflyJvm(),
              Servers.benchSettings())) {
        progress("WildFly ready on port %d (pid %d)", server.port(), server.pid());
        wildfly =
            hold(
                "WildFly",
                server.pid(),
                server.ws("/ws/chat/idle-"),
                "connections-heap-wildfly.txt");
      }
    }
    report.heading("connections: idle WebSocket connections on one node");
    report.text(
        "Each connection joins a room of 10 (`/ws/chat/idle-<n>?history=0`) and then stays idle,"
            + " answering the server's pings. The server's heap is capped at 1 GiB (`-Xmx1g`);"
            + " resident memory and live heap are read after a full GC at each step; the"
            + " connections are held by load processes of at most "
            + ConnectionLoad.PER_PROCESS
            + " connections each. The same WAR on Payara Micro and, when its distribution is"
            + " there, on WildFly (standalone-microprofile, the same JVM options).");
    List<String> columns =
        List.of(
            "container",
            "connections",
            "connects/s",
            "resident",
            "resident KiB/connection (growth from 0)",
            "live heap",
            "failed",
            "closed by server");
    List<List<String>> rows = new ArrayList<>(payara.rows());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("payara", payara.data());
    if (wildfly != null) {
      rows.addAll(wildfly.rows());
      data.put("wildfly", wildfly.data());
    }
    report.table(columns, rows);
    report.data("connections", data);
    int goal = options.connections().get(options.connections().size() - 1);
    verdict(
        List.of(
            goal + " idle connections with a heap ≤ 1 GiB (Payara Micro)",
            payara.reached()
                + " held"
                + (payara.clean() ? "" : " (not all)")
                + ", live heap "
                + mib(payara.lastHeap()),
            met(payara.clean() && payara.reached() == goal && payara.lastHeap() <= 1L << 30)));
    verdict(
        List.of(
            "≤ 15 KiB resident memory per connection (Payara Micro)",
            String.format(
                Locale.ROOT,
                "%.1f KiB per connection%s",
                payara.perConnection() / 1024,
                wildfly == null
                    ? ""
                    : String.format(
                        Locale.ROOT,
                        "; WildFly %.1f KiB (%d held)",
                        wildfly.perConnection() / 1024,
                        wildfly.reached())),
            met(payara.clean() && payara.perConnection() <= 15 * 1024)));
  }

  private static Path wildflyHome() {
    String home = System.getProperty("bench.wildfly.home", "");
    return !home.isBlank() && Files.isDirectory(Path.of(home)) ? Path.of(home) : null;
  }

  /** The bench's server options, and what WildFly's own {@code standalone.conf} would add. */
  private static List<String> wildflyJvm() {
    List<String> options = new ArrayList<>(Servers.SERVER_JVM);
    options.add("-Djava.net.preferIPv4Stack=true");
    options.add("-Djboss.modules.system.pkgs=org.jboss.byteman");
    return options;
  }

  /** Opens the configured steps of idle connections on one server, measuring it at each. */
  private Held hold(String container, long pid, java.net.URI rooms, String histogramFile)
      throws Exception {
    long heap0 = Machine.liveHeapBytes(pid);
    long rss0 = Machine.residentBytes(pid);
    progress("%s idle: resident %s, live heap %s", container, mib(rss0), mib(heap0));
    List<List<String>> rows = new ArrayList<>();
    List<Map<String, Object>> data = new ArrayList<>();
    rows.add(List.of(container, "0", "-", mib(rss0), "-", mib(heap0), "0", "0"));
    long lastRss = rss0;
    long lastHeap = heap0;
    int reached = 0;
    boolean clean = true;
    try (ConnectionLoad load = new ConnectionLoad(rooms)) {
      for (int count : options.connections()) {
        progress("  %s: opening connections up to %d", container, count);
        long start = System.nanoTime();
        ConnectionLoad.Status status = load.openUpTo(count);
        double perSecond = (count - reached) / ((System.nanoTime() - start) / 1e9);
        long heap = Machine.liveHeapBytes(pid);
        long rss = Machine.residentBytes(pid);
        lastRss = rss;
        lastHeap = heap;
        reached = count;
        double perConnection = (rss - rss0) / (double) Math.max(1, status.open());
        progress(
            "  %d open (%d failed, %d closed by the server), %.0f connects/s; resident %s"
                + " (%.1f KiB per connection), live heap %s",
            status.open(),
            status.failed(),
            status.closed(),
            perSecond,
            mib(rss),
            perConnection / 1024,
            mib(heap));
        rows.add(
            List.of(
                container,
                Integer.toString(status.open()),
                Report.number(perSecond),
                mib(rss),
                String.format(Locale.ROOT, "%.1f", perConnection / 1024),
                mib(heap),
                Integer.toString(status.failed()),
                Integer.toString(status.closed())));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("connections", status.open());
        row.put("connectsPerSecond", perSecond);
        row.put("residentBytes", rss);
        row.put("residentBytesPerConnection", perConnection);
        row.put("liveHeapBytes", heap);
        row.put("failed", status.failed());
        row.put("closed", status.closed());
        data.add(row);
        if (status.failed() > 0 || status.closed() > 0 || status.open() < count) {
          clean = false;
          reached = status.open();
          progress("  stopping the ramp: not every connection stayed open");
          break;
        }
      }
      Path histogram =
          Path.of(System.getProperty("switchboard.build", "target"), "bench", histogramFile);
      Files.writeString(histogram, Machine.jcmd(pid, "GC.class_histogram"));
      progress("heap histogram at %d connections: %s", reached, histogram);
    }
    double perConnection = (lastRss - rss0) / (double) Math.max(1, reached);
    return new Held(rows, data, reached, clean, perConnection, lastHeap);
  }
}
