package io.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** SSE subscribers of one topic, and a publisher that posts notifications to it. */
final class SseLoad implements AutoCloseable {

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI base;
  private final String topic = "bench-" + System.nanoTime();
  private final Latencies frames = new Latencies();
  private final List<Swarm.Connection> streams = new ArrayList<>();
  private final LongAdder rejected = new LongAdder();

  private SseLoad(URI base) {
    this.base = base;
  }

  /** Opens {@code count} subscribers and waits until each has its stream open. */
  static SseLoad open(URI base, int count) throws Exception {
    SseLoad load = new SseLoad(base);
    CountDownLatch open = new CountDownLatch(count);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      load.subscribe(open);
      if ((i + 1) % 250 == 0 || i + 1 == count) {
        Bench.progress(
            "  SSE: %d/%d subscribers (%.0f/s)",
            i + 1, count, (i + 1) / ((System.nanoTime() - start) / 1e9));
      }
    }
    if (!open.await(60, TimeUnit.SECONDS)) {
      load.close();
      throw new IllegalStateException(open.getCount() + " SSE streams did not open in 60 s");
    }
    return load;
  }

  private void subscribe(CountDownLatch open) throws java.io.IOException {
    Swarm.Connection connection =
        Targets.SWARM.sse(
            base.resolve("/api/events?topics=" + topic),
            new Swarm.Handler() {
              private boolean first = true;

              @Override
              public void onText(Swarm.Connection c, java.nio.ByteBuffer line) {
                if (first) {
                  first = false;
                  open.countDown();
                }
                frames.record(Payloads.sentAt(line));
              }

              @Override
              public void onClose(int code) {
                frames.closed(code);
              }
            });
    streams.add(connection);
  }

  Latencies frames() {
    return frames;
  }

  /** Publishes one notification, without waiting for the answer. */
  void publish(long n) {
    String body = "{\"topic\":\"" + topic + "\",\"data\":\"" + Payloads.stamped() + "\"}";
    http.sendAsync(
            HttpRequest.newBuilder(base.resolve("/api/notifications"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              if (error != null || response.statusCode() / 100 != 2) {
                rejected.increment();
              }
            });
  }

  long rejected() {
    return rejected.sum();
  }

  @Override
  public void close() {
    streams.forEach(Swarm.Connection::abort);
    streams.clear();
  }
}
