package io.switchboard.connection;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The single writer: order, one write at a time, bounded queue, close after the write. */
class OutboxTest {

  /** A remote endpoint that records writes and completes them inline or when told. */
  static final class FakeRemote {
    final List<String> written = new CopyOnWriteArrayList<>();
    final List<SendHandler> pending = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger pings = new AtomicInteger();
    volatile boolean inline = true;

    RemoteEndpoint.Async proxy() {
      return (RemoteEndpoint.Async)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {RemoteEndpoint.Async.class},
              (p, method, args) -> {
                switch (method.getName()) {
                  case "sendText" -> {
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    written.add((String) args[0]);
                    SendHandler handler = (SendHandler) args[1];
                    if (inline) {
                      inFlight.decrementAndGet();
                      handler.onResult(new SendResult());
                    } else {
                      pending.add(handler);
                    }
                    return null;
                  }
                  case "sendPing" -> {
                    pings.incrementAndGet();
                    return null;
                  }
                  default -> throw new UnsupportedOperationException(method.getName());
                }
              });
    }

    /** Completes the pending write, as the container does when the client read it. */
    void completeOne() {
      SendHandler handler = pending.remove(0);
      inFlight.decrementAndGet();
      handler.onResult(new SendResult());
    }
  }

  static final class Events implements Outbox.Listener {
    final AtomicInteger overflows = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger sent = new AtomicInteger();

    @Override
    public void onOverflow() {
      overflows.incrementAndGet();
    }

    @Override
    public void onWriteFailed(Throwable cause) {
      failures.incrementAndGet();
    }

    @Override
    public void onSent(int frames) {
      sent.addAndGet(frames);
    }
  }

  private static final Executor DIRECT = Runnable::run;

  @Test
  void framesPingsAndMarkersKeepTheirOrder() {
    FakeRemote remote = new FakeRemote();
    Events events = new Events();
    Outbox outbox = new Outbox(remote.proxy(), 10, Long.MAX_VALUE, DIRECT, events);
    List<String> seen = new ArrayList<>();
    outbox.send("a");
    outbox.send("b");
    outbox.mark(() -> seen.add("marker after " + remote.written));
    outbox.ping();
    outbox.send("c");
    assertThat(remote.written).containsExactly("a", "b", "c");
    assertThat(seen).containsExactly("marker after [a, b]");
    assertThat(remote.pings).hasValue(1);
    assertThat(events.sent).hasValue(3);
  }

  @Test
  void aFrameSentToAnIdleOutboxIsWrittenByTheSenderAndAnEnqueuedOneByTheExecutor() {
    FakeRemote remote = new FakeRemote();
    List<Runnable> tasks = new ArrayList<>();
    Outbox outbox = new Outbox(remote.proxy(), 10, Long.MAX_VALUE, tasks::add, new Events());

    outbox.send("now");
    assertThat(remote.written).as("written on this thread, no task").containsExactly("now");
    assertThat(tasks).isEmpty();

    outbox.enqueue(SharedFrame.of("later"));
    assertThat(remote.written).as("not written on this thread").containsExactly("now");
    assertThat(tasks).hasSize(1);
    tasks.remove(0).run();
    assertThat(remote.written).containsExactly("now", "later");
  }

  @Test
  void aFrameSentWhileAWriteIsInFlightWaitsForIt() {
    FakeRemote remote = new FakeRemote();
    remote.inline = false;
    List<Runnable> tasks = new ArrayList<>();
    Outbox outbox = new Outbox(remote.proxy(), 10, Long.MAX_VALUE, tasks::add, new Events());
    outbox.send("first"); // written here, completes later

    outbox.send("second");
    assertThat(remote.written).containsExactly("first");
    assertThat(tasks).as("the completion starts the next drain, not the sender").isEmpty();
    remote.completeOne();
    assertThat(tasks).hasSize(1);
    tasks.remove(0).run();
    assertThat(remote.written).containsExactly("first", "second");
  }

  @Test
  void theQueueIsBoundedInBytesAsWellAsInFrames() {
    FakeRemote remote = new FakeRemote();
    remote.inline = false;
    Events events = new Events();
    Outbox outbox = new Outbox(remote.proxy(), 1000, 10_000, DIRECT, events);
    outbox.send("first"); // in flight, never completed
    String kilobyte = "k".repeat(1000);
    int accepted = 0;
    while (outbox.send(kilobyte)) {
      accepted++;
    }
    assertThat(accepted).as("about 10 KB of 1 KB frames").isBetween(8, 10);
    assertThat(events.overflows).hasValue(1);
    assertThat(outbox.queuedBytes()).as("everything held is released").isZero();
  }

  @Test
  void aMarkerOnlyRunsOnceTheFramesBeforeItWereWritten() {
    FakeRemote remote = new FakeRemote();
    remote.inline = false;
    Outbox outbox = new Outbox(remote.proxy(), 10, Long.MAX_VALUE, DIRECT, new Events());
    AtomicBoolean reached = new AtomicBoolean();
    outbox.send("1");
    outbox.send("2");
    outbox.mark(() -> reached.set(true));
    assertThat(reached).isFalse();
    remote.completeOne();
    assertThat(reached).as("2 is in flight, the marker is behind it").isFalse();
    remote.completeOne();
    assertThat(reached).isTrue();
  }

  @Test
  void neverTwoWritesAtOnceEvenFromManyThreads() throws Exception {
    FakeRemote remote = new FakeRemote();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    ExecutorService senders = Executors.newFixedThreadPool(8);
    Outbox outbox = new Outbox(remote.proxy(), 100_000, Long.MAX_VALUE, pool, new Events());
    for (int t = 0; t < 8; t++) {
      int thread = t;
      senders.submit(
          () -> {
            for (int i = 0; i < 1000; i++) {
              outbox.send(thread + ":" + i);
            }
          });
    }
    senders.shutdown();
    senders.awaitTermination(10, TimeUnit.SECONDS);
    org.awaitility.Awaitility.await().until(() -> remote.written.size() == 8000);
    pool.shutdown();
    assertThat(remote.maxInFlight).hasValue(1);
    for (int t = 0; t < 8; t++) {
      String prefix = t + ":";
      List<Integer> order = new ArrayList<>();
      remote.written.stream()
          .filter(w -> w.startsWith(prefix))
          .forEach(w -> order.add(Integer.parseInt(w.substring(prefix.length()))));
      assertThat(order).as("per-sender order").isSorted().hasSize(1000);
    }
  }

  @Test
  void aStalledWriteHoldsTheQueueAndOverflowIsReportedOnceAndDropsEverything() {
    FakeRemote remote = new FakeRemote();
    remote.inline = false;
    Events events = new Events();
    Outbox outbox = new Outbox(remote.proxy(), 3, Long.MAX_VALUE, DIRECT, events);
    outbox.send("1"); // in flight, never completed
    assertThat(outbox.send("2")).isTrue();
    assertThat(outbox.send("3")).isTrue();
    assertThat(outbox.send("4")).isTrue();
    assertThat(outbox.send("5")).as("past the bound").isFalse();
    assertThat(outbox.send("6")).isFalse();
    assertThat(events.overflows).hasValue(1);
    assertThat(outbox.queued()).isZero();
    assertThat(remote.written).containsExactly("1");
  }

  @Test
  void theNextWriteStartsWhenTheContainerCompletesTheLastOne() {
    FakeRemote remote = new FakeRemote();
    remote.inline = false;
    Outbox outbox = new Outbox(remote.proxy(), 10, Long.MAX_VALUE, DIRECT, new Events());
    outbox.send("1");
    outbox.send("2");
    assertThat(remote.written).containsExactly("1");
    remote.completeOne();
    assertThat(remote.written).containsExactly("1", "2");
  }

  @Test
  void closeThenRunsItsActionOnlyOnceTheWriteInFlightCompletes() {
    FakeRemote remote = new FakeRemote();
    remote.inline = false;
    Outbox outbox = new Outbox(remote.proxy(), 10, Long.MAX_VALUE, DIRECT, new Events());
    outbox.send("1");
    outbox.send("2");
    AtomicBoolean closed = new AtomicBoolean();
    outbox.closeThen(() -> closed.set(true));
    assertThat(closed).isFalse();
    remote.completeOne();
    assertThat(closed).isTrue();
    assertThat(remote.written).as("what was queued is dropped").containsExactly("1");
  }

  @Test
  void theCloserAlwaysRunsEvenWhenTheOutboxWasClosedFirstDuringADrain() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 2000; round++) {
        FakeRemote remote = new FakeRemote();
        Outbox outbox = new Outbox(remote.proxy(), 1000, Long.MAX_VALUE, pool, new Events());
        for (int i = 0; i < 20; i++) {
          outbox.send("f" + i);
        }
        // As Connection.close() does: release (close) first, then close with a closer.
        outbox.close();
        java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
        outbox.closeThen(ran::countDown);
        assertThat(ran.await(2, TimeUnit.SECONDS)).as("round %d", round).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeThenRunsAtOnceWhenIdle() {
    FakeRemote remote = new FakeRemote();
    Outbox outbox = new Outbox(remote.proxy(), 10, Long.MAX_VALUE, DIRECT, new Events());
    outbox.send("1");
    AtomicBoolean closed = new AtomicBoolean();
    outbox.closeThen(() -> closed.set(true));
    assertThat(closed).isTrue();
    assertThat(outbox.send("2")).isFalse();
  }
}
