package io.switchboard.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A quick SSE probe: N subscribers of {@code /api/events}, one HTTP publisher at fixed rates;
 * prints notifications delivered per second and latency per step.
 *
 * <p>Usage: {@code java ... SseProbe http://127.0.0.1:8080 1000 10,50,100 5}
 */
public final class SseProbe {

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8080");
    int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int[] rates =
        Arrays.stream((args.length > 2 ? args[2] : "10,50,100").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    String topic = "probe-" + System.nanoTime();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    LongAdder count = new LongAdder();
    long[] samples = new long[5_000_000];
    AtomicLong next = new AtomicLong();
    AtomicLong lastNanos = new AtomicLong();
    for (int i = 0; i < subscribers; i++) {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(base.resolve("/api/events?topics=" + topic)).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    int at = line.indexOf("\"data\":\"t");
                    if (line.startsWith("data:") && at >= 0) {
                      long now = System.nanoTime();
                      long sentAt =
                          Long.parseLong(line.substring(at + 9, line.indexOf('"', at + 9)));
                      count.increment();
                      lastNanos.set(now);
                      long slot = next.getAndIncrement();
                      if (slot < samples.length) {
                        samples[(int) slot] = now - sentAt;
                      }
                    }
                  }
                } catch (Exception e) {
                  // stream ended
                }
              });
      reader.setDaemon(true);
      reader.start();
      if (i % 200 == 199) {
        System.out.printf("subscribed %d/%d%n", i + 1, subscribers);
      }
    }
    Thread.sleep(1000);
    System.out.printf("%n| notifications/s | deliveries/s | p50 ms | p99 ms | max ms | lost |%n");
    System.out.printf("|---|---|---|---|---|---|%n");
    for (int rate : rates) {
      count.reset();
      next.set(0);
      long interval = 1_000_000_000L / rate;
      long start = System.nanoTime();
      int sent = 0;
      List<CompletableFuture<HttpResponse<Void>>> posts = new ArrayList<>();
      while (System.nanoTime() - start < seconds * 1_000_000_000L) {
        long wait = start + sent * interval - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        String body = "{\"topic\":\"" + topic + "\",\"data\":\"t" + System.nanoTime() + "\"}";
        posts.add(
            http.sendAsync(
                HttpRequest.newBuilder(base.resolve("/api/notifications"))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.discarding()));
        sent++;
      }
      CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      long expected = (long) sent * subscribers;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (count.sum() < expected && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      long[] lat = Arrays.copyOf(samples, (int) Math.min(next.get(), samples.length));
      Arrays.sort(lat);
      double elapsed = (lastNanos.get() - start) / 1e9;
      System.out.printf(
          "| %d | %.0f | %.1f | %.1f | %.1f | %d |%n",
          rate,
          count.sum() / elapsed,
          pct(lat, 0.5),
          pct(lat, 0.99),
          pct(lat, 1.0),
          expected - count.sum());
    }
    System.exit(0);
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.max(0, Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1))]
        / 1e6;
  }
}
