package io.switchboard.bench;

import io.switchboard.bench.Swarm.Connection;
import io.switchboard.it.support.PayaraNode;
import io.switchboard.it.support.RedisProcess;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Switchboard's benchmark: every scenario of the performance section, side by side with the bare
 * endpoint and Socket.IO, in one run. {@code mvn -Pbench} runs it; it prints progress as it goes
 * and a Markdown table at the end, and writes {@code target/bench/results.md} and {@code .json}.
 *
 * <p>System properties: {@code bench.scenarios} (any of fanout, chatty, sse, cluster, connections;
 * all by default), {@code bench.members} (fan-out room size, 1000), {@code bench.seconds} (seconds
 * per step, 5), {@code bench.connections} (connection counts, 1000,5000,10000,15000).
 */
public final class Bench {

  static final List<String> SCENARIOS =
      List.of("fanout", "chatty", "sse", "cluster", "connections");

  /** Fan-out rates tried, in messages per second (the ramp stops at the first unhealthy one). */
  static final List<Double> FANOUT_RATES =
      List.of(10d, 20d, 50d, 100d, 150d, 200d, 300d, 400d, 500d, 700d, 1000d, 1500d, 2000d, 3000d);

  private static final long STARTED = System.nanoTime();

  private final List<String> scenarios;
  private final int members;
  private final double seconds;
  private final List<Integer> connections;
  private final double p99Limit = 100;
  private final Servers servers;
  private final Report report = new Report();
  private final List<List<String>> targets = new ArrayList<>();

  /** Results the later scenarios and the targets table need. */
  private Step fanoutSwitchboard;

  private Step fanoutBare;
  private Step fanoutSocketIo;

  private Bench(Servers servers) {
    this.servers = servers;
    String wanted = System.getProperty("bench.scenarios", "");
    this.scenarios =
        wanted.isBlank()
            ? SCENARIOS
            : SCENARIOS.stream()
                .filter(Arrays.asList(wanted.split("\\s*,\\s*"))::contains)
                .toList();
    this.members = Integer.getInteger("bench.members", 1000);
    this.seconds = Double.parseDouble(System.getProperty("bench.seconds", "5"));
    this.connections =
        Arrays.stream(System.getProperty("bench.connections", "1000,5000,10000,15000").split(","))
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();
    if (scenarios.isEmpty()) {
      throw new IllegalArgumentException(
          "bench.scenarios names none of " + SCENARIOS + ": " + wanted);
    }
  }

  public static void main(String[] args) throws Exception {
    Machine.pinSelf();
    Path project = Path.of(System.getProperty("bench.project", ".")).toAbsolutePath();
    Path build = Path.of(System.getProperty("switchboard.build", "target")).toAbsolutePath();
    int status = 0;
    try (Servers servers = new Servers(project, build)) {
      Bench bench = new Bench(servers);
      progress("Switchboard benchmark: %s", String.join(", ", bench.scenarios));
      progress("machine: %s", Machine.describe());
      bench.run(build.resolve("bench"));
    } catch (Exception e) {
      progress("BENCHMARK FAILED: %s", e);
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  /** A line of progress, with the seconds since the start. */
  static void progress(String format, Object... args) {
    long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - STARTED);
    System.out.printf(
        Locale.ROOT, "[%4ds] %s%n", elapsed, String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  private void run(Path out) throws Exception {
    for (String scenario : scenarios) {
      progress("=== %s ===", scenario);
      switch (scenario) {
        case "fanout" -> fanout();
        case "chatty" -> chatty();
        case "sse" -> sse();
        case "cluster" -> cluster();
        case "connections" -> connections();
        default -> throw new IllegalStateException(scenario);
      }
    }
    report.heading("Targets");
    report.table(List.of("target", "measured", "met"), targets);
    report.data("targets", targets);
    String header =
        "# Switchboard benchmark\n\n"
            + "Run "
            + Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + " on "
            + Machine.describe()
            + ". Messages carry "
            + Payloads.SIZE
            + " characters; latency is from the sender's send call to the receiver's receipt;"
            + " a step keeps up when nothing is lost, nobody is disconnected, p99 ≤ "
            + Report.number(p99Limit)
            + " ms and the rate was actually sent. Steps last "
            + Report.number(seconds)
            + " s.\n";
    report.write(out, header);
    System.out.println();
    System.out.println(header + report.markdown());
    progress("written to %s and results.json", out.resolve("results.md"));
  }

  // --- fanout ---------------------------------------------------------------------------------

  private void fanout() throws Exception {
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

    report.heading("fanout: one sender, one room of " + members + " members");
    report.text(
        "Each target is ramped through "
            + FANOUT_RATES.stream().map(Report::number).toList()
            + " messages per second until a step does not keep up; the bold row is the best step"
            + " that did. Server CPU is the server process's CPU time over the step (100% = the"
            + " one core it has).");
    List<Step> steps = new ArrayList<>();
    ramps.values().forEach(steps::addAll);
    report.steps(steps, p99Limit, "msg/s offered");
    List<Step> best = new ArrayList<>();
    ramps.values().forEach(r -> best.add(Drive.best(r, p99Limit)));
    fanoutSwitchboard = best.get(0);
    fanoutBare = best.get(1);
    fanoutSocketIo = best.size() > 2 ? best.get(2) : null;
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
    targets.add(
        List.of(
            "fanout, " + members + " members: ≥ 0.7× the bare endpoint",
            ratio(fanoutSwitchboard, fanoutBare),
            met(ratioOf(fanoutSwitchboard, fanoutBare) >= 0.7)));
    targets.add(
        List.of(
            "fanout: ≥ 2× Socket.IO",
            fanoutSocketIo == null
                ? "Socket.IO not run (no Node.js)"
                : ratio(fanoutSwitchboard, fanoutSocketIo),
            fanoutSocketIo == null
                ? "not measured"
                : met(ratioOf(fanoutSwitchboard, fanoutSocketIo) >= 2)));
    targets.add(
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

  /** Opens the fanout room and a sender on {@code target}, and ramps. */
  private List<Step> fanoutRamp(Targets.Target target, long[] pids) throws Exception {
    progress("%s: %d members", target.name(), members);
    try (FanoutRoom room = new FanoutRoom(target, members)) {
      return Drive.ramp(
          target.name(), pids, room.frames, FANOUT_RATES, seconds, members, p99Limit, room::send);
    }
  }

  /** One room of members on a target and a sender that is not counted as a receiver. */
  private static final class FanoutRoom implements AutoCloseable {
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

  // --- chatty ---------------------------------------------------------------------------------

  private void chatty() throws Exception {
    int rooms = 200;
    int perRoom = 10;
    List<Double> perMember = List.of(0.5, 1d, 2d, 4d, 8d, 16d);
    List<Double> rates = perMember.stream().map(r -> r * rooms * perRoom).toList();
    PayaraNode node = servers.switchboard("bench-chatty", Servers.benchSettings(), false);
    Servers.SocketIo socketIo = servers.socketIo();
    List<Targets.Target> all = new ArrayList<>();
    all.add(Targets.switchboard("Switchboard", List.of(node.http()), node.pid()));
    if (socketIo != null) {
      all.add(Targets.socketIo(socketIo.base(), socketIo.process().pid()));
    }
    List<Step> steps = new ArrayList<>();
    List<Step> best = new ArrayList<>();
    for (Targets.Target target : all) {
      progress("%s: %d rooms × %d members, every member sending", target.name(), rooms, perRoom);
      Latencies frames = new Latencies();
      String prefix = "chatty-" + System.nanoTime() + "-";
      List<Connection> sockets =
          Drive.members(target, rooms * perRoom, i -> prefix + (i / perRoom), frames);
      try {
        List<Step> ramp =
            Drive.ramp(
                target.name(),
                new long[] {target.pid()},
                frames,
                rates,
                seconds,
                perRoom,
                p99Limit,
                n -> {
                  int member = (int) (n % sockets.size());
                  sockets
                      .get(member)
                      .send(target.frame(prefix + (member / perRoom), Payloads.stamped()));
                });
        steps.addAll(ramp);
        best.add(Drive.best(ramp, p99Limit));
      } finally {
        Drive.abort(sockets);
      }
    }
    servers.stop(node);
    if (socketIo != null) {
      servers.stop(socketIo);
    }
    report.heading("chatty: " + rooms + " rooms of " + perRoom + " members, everyone sending");
    report.text(
        "Every member sends in turn to its own room (each message reaches its "
            + perRoom
            + " members, the sender included); the rate is the total over all members: "
            + perMember.stream().map(Report::number).toList()
            + " messages per second per member.");
    report.steps(steps, p99Limit, "msg/s offered (total)");
    report.data("chatty", steps);
    if (best.size() > 1) {
      report.text(
          "Switchboard's best deliveries per second ÷ Socket.IO's: "
              + ratio(best.get(0), best.get(1)));
    }
  }

  // --- sse ------------------------------------------------------------------------------------

  private void sse() throws Exception {
    PayaraNode node = servers.switchboard("bench-sse", Servers.benchSettings(), false);
    List<Double> rates = List.of(20d, 50d, 100d, 150d, 200d, 300d, 400d, 500d, 700d, 1000d);
    try (SseLoad load = SseLoad.open(node.http(), members)) {
      List<Step> ramp =
          Drive.ramp(
              "Switchboard SSE",
              new long[] {node.pid()},
              load.frames(),
              rates,
              seconds,
              members,
              p99Limit,
              load::publish);
      report.heading("sse: " + members + " subscribers of one topic");
      report.text(
          "Notifications are published with `POST /api/notifications` (asynchronously, so that"
              + " the publisher's round trip is not the limit) and delivered on `/api/events`;"
              + " rejected publishes: "
              + load.rejected()
              + ".");
      report.steps(ramp, p99Limit, "notifications/s");
      report.data("sse", ramp);
    }
    servers.stop(node);
  }

  // --- cluster --------------------------------------------------------------------------------

  private void cluster() throws Exception {
    double max =
        fanoutSwitchboard != null
            ? fanoutSwitchboard.offered()
            : Double.parseDouble(System.getProperty("bench.max-rate", "100"));
    double rate = Math.max(10, Math.round(max / 2));
    double low = Math.min(100, rate);
    List<Double> rates = low < rate ? List.of(low, rate) : List.of(rate);
    progress(
        "Redis hop at %s msg/s (half the single-node maximum%s), and at %s msg/s",
        Report.number(rate),
        fanoutSwitchboard == null ? ", from bench.max-rate as fanout did not run" : "",
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
    report.steps(steps, p99Limit, "msg/s");
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
    report.steps(ramp, p99Limit, "msg/s offered");
    Step memoryAtHalf = inMemory.get(inMemory.size() - 1);
    Step redisAtHalf = oneNode.get(oneNode.size() - 1);
    double hop = redisAtHalf.p99() - memoryAtHalf.p99();
    report.data("cluster", Map.of("steady", steps, "ramp", ramp, "hopP99Millis", hop));
    targets.add(
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
            met(hop < 2 && redisAtHalf.healthy(p99Limit) && memoryAtHalf.healthy(p99Limit))));
  }

  /**
   * The fanout room at each rate: a gentle warm-up (a cold node pushed straight to a high rate
   * falls behind and cuts its slowest clients with 4009), then the median-p99 run of three.
   */
  private List<Step> steady(Targets.Target target, long[] pids, List<Double> rates)
      throws Exception {
    try (FanoutRoom room = new FanoutRoom(target, members)) {
      Latencies frames = room.frames;
      java.util.function.LongConsumer send = room::send;
      double top = rates.get(rates.size() - 1);
      Drive.warmUp(
          target.name(),
          pids,
          frames,
          List.of(top / 16, top / 8, top / 4, top / 2, top),
          members,
          send);
      List<Step> result = new ArrayList<>();
      for (double rate : rates) {
        List<Step> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          Step step = Drive.measure(target.name(), pids, frames, rate, seconds, members, send);
          progress("%s", Report.describe(step, p99Limit));
          runs.add(step);
          Drive.quiesce(frames);
        }
        runs.sort((x, y) -> Double.compare(x.p99(), y.p99()));
        result.add(runs.get(1));
      }
      return result;
    }
  }

  // --- connections ----------------------------------------------------------------------------

  private void connections() throws Exception {
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
      for (int count : connections) {
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
    int goal = connections.get(connections.size() - 1);
    double perConnection = (lastRss - rss0) / (double) Math.max(1, reached);
    targets.add(
        List.of(
            goal + " idle connections with a heap ≤ 1 GiB",
            reached + " held" + (clean ? "" : " (not all)") + ", live heap " + mib(lastHeap),
            met(clean && reached == goal && lastHeap <= 1L << 30)));
    targets.add(
        List.of(
            "< 30 KB resident memory per connection",
            String.format(Locale.ROOT, "%.1f KB per connection", perConnection / 1000),
            met(clean && perConnection < 30_000)));
  }

  // --- helpers --------------------------------------------------------------------------------

  private static double ratioOf(Step a, Step b) {
    return a == null || b == null ? Double.NaN : a.deliveriesPerSecond() / b.deliveriesPerSecond();
  }

  private static String ratio(Step a, Step b) {
    return a == null || b == null
        ? "-"
        : Report.ratio(a.deliveriesPerSecond(), b.deliveriesPerSecond());
  }

  private static String met(boolean met) {
    return met ? "yes" : "**no**";
  }

  static String mib(long bytes) {
    return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1024.0 / 1024.0);
  }
}
