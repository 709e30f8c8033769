package io.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A quick fan-out probe: N members in one room over WebSocket, one HTTP publisher at fixed rates;
 * prints deliveries per second, latency percentiles and losses per step.
 *
 * <p>Usage: {@code java ... FanoutProbe http://127.0.0.1:8080 1000 10,20,50,100 5} (base URL,
 * members, messages per second per step, seconds per step).
 */
public final class FanoutProbe {

  public static void main(String[] args) throws Exception {
    // Several comma-separated bases spread the members over nodes; the first one publishes.
    List<URI> bases =
        Arrays.stream((args.length > 0 ? args[0] : "http://127.0.0.1:8080").split(","))
            .map(URI::create)
            .toList();
    URI base = bases.get(0);
    int members = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int[] rates =
        Arrays.stream((args.length > 2 ? args[2] : "10,20,50,100").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    String room = "probe-" + System.nanoTime();
    HttpClient http = HttpClient.newHttpClient();
    Recorder recorder = new Recorder();
    List<WebSocket> sockets = new ArrayList<>();
    String wsBase = "ws://" + base.getHost() + ":" + base.getPort();
    for (int i = 0; i < members; i++) {
      sockets.add(
          http.newWebSocketBuilder()
              .buildAsync(
                  URI.create(wsBase + "/ws/chat/" + room + "?history=0&user=m" + i), recorder)
              .get(30, TimeUnit.SECONDS));
      if (i % 200 == 199) {
        System.out.printf("connected %d/%d%n", i + 1, members);
      }
    }
    Thread.sleep(1000);
    System.out.printf("%n| msgs/s | deliveries/s | p50 ms | p95 ms | p99 ms | max ms | lost |%n");
    System.out.printf("|---|---|---|---|---|---|---|%n");
    for (int rate : rates) {
      recorder.reset();
      long intervalNanos = 1_000_000_000L / rate;
      long start = System.nanoTime();
      int sent = 0;
      List<CompletableFuture<HttpResponse<Void>>> posts = new ArrayList<>();
      while (System.nanoTime() - start < seconds * 1_000_000_000L) {
        long due = start + sent * intervalNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        String body = "{\"message\":\"t" + System.nanoTime() + "\"}";
        posts.add(
            http.sendAsync(
                HttpRequest.newBuilder(base.resolve("/api/rooms/" + room + "/messages"))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.discarding()));
        sent++;
      }
      CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      long expected = (long) sent * members;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (recorder.count.sum() < expected && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      double elapsed = (recorder.lastNanos.get() - start) / 1e9;
      long[] lat = recorder.latencies();
      System.out.printf(
          "| %d | %.0f | %.1f | %.1f | %.1f | %.1f | %d |%n",
          rate,
          recorder.count.sum() / elapsed,
          pct(lat, 0.50),
          pct(lat, 0.95),
          pct(lat, 0.99),
          pct(lat, 1.0),
          expected - recorder.count.sum());
    }
    System.out.println("closes by code: " + recorder.closes);
    sockets.forEach(WebSocket::abort);
    System.exit(0);
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  /** Counts chat frames and samples their latency (send time is in the message text). */
  static final class Recorder implements WebSocket.Listener {
    final LongAdder count = new LongAdder();
    final AtomicLong lastNanos = new AtomicLong();
    private final long[] samples = new long[2_000_000];
    private final AtomicLong next = new AtomicLong();

    void reset() {
      count.reset();
      next.set(0);
    }

    long[] latencies() {
      int n = (int) Math.min(next.get(), samples.length);
      long[] copy = Arrays.copyOf(samples, n);
      Arrays.sort(copy);
      return copy;
    }

    final java.util.concurrent.ConcurrentHashMap<WebSocket, StringBuilder> partial =
        new java.util.concurrent.ConcurrentHashMap<>();
    final java.util.concurrent.ConcurrentHashMap<Integer, LongAdder> closes =
        new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closes.computeIfAbsent(code, c -> new LongAdder()).increment();
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      if (!last) {
        partial.computeIfAbsent(ws, w -> new StringBuilder()).append(data);
        ws.request(1);
        return null;
      }
      long now = System.nanoTime();
      StringBuilder head = partial.remove(ws);
      String text = head == null ? data.toString() : head.append(data).toString();
      int at = text.indexOf("\"message\":\"t");
      if (at >= 0) {
        int end = text.indexOf('"', at + 12);
        long sentAt = Long.parseLong(text.substring(at + 12, end));
        count.increment();
        lastNanos.set(now);
        long slot = next.getAndIncrement();
        if (slot < samples.length) {
          samples[(int) slot] = now - sentAt;
        }
      }
      ws.request(1);
      return null;
    }
  }
}
