package io.switchboard.notifications.control;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One SSE client: a bounded queue of events and one writer at a time on a shared executor.
 *
 * <p>Why not {@code SseBroadcaster}: it writes to every sink from the broadcasting thread, so one
 * client whose socket is full delays all the others, and it cannot filter per client. Here a slow
 * client only holds its own queue (and, while its socket is full, one writer thread); past {@code
 * maxQueued} events it is closed and forgotten.
 */
public final class SseStream {

  private static final Logger LOG = Logger.getLogger(SseStream.class.getName());

  private final SseEventSink sink;
  private final int maxQueued;
  private final Executor executor;
  private final Consumer<SseStream> onClosed;
  private final Queue<OutboundSseEvent> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Runnable drainTask = this::drain;

  /**
   * Held around each write into the container, and taken by {@link #containerClosed()}: once the
   * container ended the request (the client went away), no write may start, because the container
   * recycles the response for other requests.
   */
  private final ReentrantLock writeLock = new ReentrantLock();

  private final Counter sent;
  private volatile long lastWriteNanos = System.nanoTime();

  /** Counts events written, for the node's stats. */
  public interface Counter {
    void add(int events);
  }

  public SseStream(
      SseEventSink sink,
      int maxQueued,
      Executor executor,
      Counter sent,
      Consumer<SseStream> onClosed) {
    this.sink = sink;
    this.maxQueued = maxQueued;
    this.executor = executor;
    this.sent = sent;
    this.onClosed = onClosed;
  }

  /** Queues an event; false when the stream is closed or just overflowed (and is now closed). */
  public boolean send(OutboundSseEvent event) {
    if (closed.get()) {
      return false;
    }
    if (queued.incrementAndGet() > maxQueued) {
      LOG.fine("Closing an SSE client that stopped reading");
      close();
      return false;
    }
    queue.add(event);
    lastWriteNanos = System.nanoTime();
    if (draining.compareAndSet(false, true)) {
      executor.execute(drainTask);
    }
    return true;
  }

  /** Nanos since the last event was queued (heartbeats are due when nothing else was). */
  public long idleNanos(long now) {
    return now - lastWriteNanos;
  }

  public boolean isClosed() {
    return closed.get() || sink.isClosed();
  }

  /**
   * The container ended this request (the client went away, or the stream timed out): waits for a
   * write in progress, then refuses all others. Called from the container's async listener, before
   * it reuses the response.
   */
  public void containerClosed() {
    closed.set(true);
    writeLock.lock();
    try {
      queue.clear();
    } finally {
      writeLock.unlock();
    }
    onClosed.accept(this);
  }

  /** Ends the stream (the client's EventSource reconnects with Last-Event-ID). */
  public void close() {
    if (closed.compareAndSet(false, true)) {
      queue.clear();
      executor.execute(
          () -> {
            try {
              sink.close();
            } catch (Exception e) {
              LOG.fine(() -> "Closing an SSE sink failed: " + e);
            }
          });
      onClosed.accept(this);
    }
  }

  private void drain() {
    int written = 0;
    try {
      while (true) {
        OutboundSseEvent event = queue.poll();
        if (event == null) {
          draining.set(false);
          if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
            return;
          }
          continue;
        }
        queued.decrementAndGet();
        if (closed.get() || sink.isClosed()) {
          close();
          return;
        }
        // Jersey writes synchronously here; a full socket parks this thread, not the others.
        writeLock.lock();
        try {
          if (closed.get()) {
            return;
          }
          sink.send(event).toCompletableFuture().join();
        } finally {
          writeLock.unlock();
        }
        written++;
      }
    } catch (RuntimeException e) {
      LOG.fine(() -> "An SSE client went away: " + e);
      close();
    } finally {
      if (written > 0) {
        sent.add(written);
      }
    }
  }
}
