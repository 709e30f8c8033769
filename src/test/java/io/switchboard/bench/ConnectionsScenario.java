package io.switchboard.bench;

import static io.switchboard.bench.Bench.mib;
import static io.switchboard.bench.Bench.progress;

import io.switchboard.it.support.PayaraNode;
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

  @Override
  void run() throws Exception {
    PayaraNode node = servers.switchboard("bench-connections", Servers.benchSettings(), false);
    long pid = node.pid();
    long heap0 = Machine.liveHeapBytes(pid);
    long rss0 = Machine.residentBytes(pid);
    progress("idle node: resident %s, live heap %s", mib(rss0), mib(heap0));
    List<List<String>> rows = new ArrayList<>();
    List<Map<String, Object>> data = new ArrayList<>();
    rows.add(List.of("0", "-", mib(rss0), "-", mib(heap0), "0", "0"));
    long lastRss = rss0;
    long lastHeap = heap0;
    int reached = 0;
    boolean clean = true;
    try (ConnectionLoad load = new ConnectionLoad(node.ws("/ws/chat/idle-"))) {
      for (int count : options.connections()) {
        progress("  opening connections up to %d", count);
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
          progress("  stopping the ramp: not every connection stayed open");
          break;
        }
      }
      Path histogram =
          Path.of(
              System.getProperty("switchboard.build", "target"), "bench", "connections-heap.txt");
      java.nio.file.Files.writeString(histogram, Machine.jcmd(pid, "GC.class_histogram"));
      progress("heap histogram at %d connections: %s", reached, histogram);
    }
    servers.stop(node);
    report.heading("connections: idle WebSocket connections on one node");
    report.text(
        "Each connection joins a room of 10 (`/ws/chat/idle-<n>?history=0`) and then stays idle,"
            + " answering the server's pings. The server's heap is capped at 1 GiB (`-Xmx1g`);"
            + " resident memory and live heap are read after a full GC at each step; the"
            + " connections are held by load processes of at most "
            + ConnectionLoad.PER_PROCESS
            + " connections each.");
    report.table(
        List.of(
            "connections",
            "connects/s",
            "resident",
            "resident KiB/connection (growth from 0)",
            "live heap",
            "failed",
            "closed by server"),
        rows);
    report.data("connections", data);
    int goal = options.connections().get(options.connections().size() - 1);
    double perConnection = (lastRss - rss0) / (double) Math.max(1, reached);
    verdict(
        List.of(
            goal + " idle connections with a heap ≤ 1 GiB",
            reached + " held" + (clean ? "" : " (not all)") + ", live heap " + mib(lastHeap),
            met(clean && reached == goal && lastHeap <= 1L << 30)));
    verdict(
        List.of(
            "< 30 KB resident memory per connection",
            String.format(Locale.ROOT, "%.1f KB per connection", perConnection / 1000),
            met(clean && perConnection < 30_000)));
  }
}
