package io.switchboard.notifications.control;

import io.switchboard.platform.ContainerConnection;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One event stream: a queue of encoded events bounded in bytes, written with the servlet
 * container's non-blocking output, so that no thread ever waits on a client.
 *
 * <p>Writes happen while the container says the output is ready; when it is not, the stream waits
 * for the container's call back and holds no thread. A client that stops reading is cut when its
 * queue passes its byte bound, or when the container has not been ready for the write timeout: the
 * stream stops writing and its TCP connection is reset ({@link ContainerConnection}). Work too big
 * to queue at once (a replay) is queued a page at a time behind {@link #mark markers}.
 *
 * <p>Why not JAX-RS {@code SseEventSink}: its writes block the calling thread while the client's
 * socket is full (Jersey), so stalled clients took the pool's threads from everyone else, and it
 * serializes every event for every subscriber.
 */
public final class SseStream implements WriteListener {

  private static final Logger LOG = Logger.getLogger(SseStream.class.getName());

  private final AsyncContext async;
  private final ServletOutputStream out;
  private final long maxQueuedBytes;
  private final Executor executor;
  private final ContainerConnection tcp;
  private final Counter sent;
  private final Consumer<SseStream> onClosed;
  private final Runnable onCut;

  /** Encoded events ({@link SseEvent}) and markers ({@link Runnable}), in order. */
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();

  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean forgotten = new AtomicBoolean();
  private final Runnable drainTask = this::drainFromPool;

  /**
   * Held around every call into the container's output (isReady, write, flush, complete), and taken
   * when the container ends the request: no write starts once the container may recycle it.
   */
  private final ReentrantLock writeLock = new ReentrantLock();

  /** Set once the stream should end after what is queued (a node shutting down). */
  private volatile boolean ending;

  /** The container said the output is not ready; it calls {@link #onWritePossible} later. */
  private volatile boolean waiting;

  private volatile long waitingSince;
  private volatile long lastQueuedNanos = System.nanoTime();

  /** Written but not flushed; touched under the write lock. */
  private boolean unflushed;

  /** Counts events written, for the node's stats. */
  public interface Counter {
    void add(int events);
  }

  /**
   * A stream on an async request whose output is {@code out}. The caller registers it as the
   * output's write listener ({@link ServletOutputStream#setWriteListener}), which starts it.
   */
  SseStream(
      AsyncContext async,
      ServletOutputStream out,
      long maxQueuedBytes,
      Executor executor,
      ContainerConnection tcp,
      Counter sent,
      Consumer<SseStream> onClosed,
      Runnable onCut) {
    this.async = async;
    this.out = out;
    this.maxQueuedBytes = maxQueuedBytes;
    this.executor = executor;
    this.tcp = tcp;
    this.sent = sent;
    this.onClosed = onClosed;
    this.onCut = onCut;
    this.waiting = true; // until the container's first onWritePossible
    this.waitingSince = System.nanoTime();
  }

  /** Queues an event; false when the stream is closed, or was just cut for passing its bound. */
  public boolean send(SseEvent event) {
    if (closed.get() || ending) {
      return false;
    }
    if (queuedBytes.addAndGet(event.length()) > maxQueuedBytes) {
      LOG.fine("Cutting an event stream that stopped reading (queue bound)");
      cut();
      return false;
    }
    queue.add(event);
    lastQueuedNanos = System.nanoTime();
    schedule();
    return true;
  }

  /**
   * Queues a marker: {@code reached} runs (quickly, without blocking) once everything queued before
   * it was handed to the container.
   */
  public boolean mark(Runnable reached) {
    if (closed.get() || ending) {
      return false;
    }
    queue.add(reached);
    schedule();
    return true;
  }

  /** Encoded bytes waiting to be written. */
  public long queuedBytes() {
    return queuedBytes.get();
  }

  /** Nanos since the last event was queued (heartbeats are due when nothing else was). */
  public long idleNanos(long now) {
    return now - lastQueuedNanos;
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** Whether the container has not been ready to write for longer than {@code timeoutNanos}. */
  boolean stalledFor(long now, long timeoutNanos) {
    return waiting && !closed.get() && now - waitingSince > timeoutNanos;
  }

  private void schedule() {
    if (!waiting && scheduled.compareAndSet(false, true)) {
      executor.execute(drainTask);
    }
  }

  private void drainFromPool() {
    scheduled.set(false);
    drain();
  }

  @Override
  public void onWritePossible() {
    waiting = false;
    drain();
  }

  @Override
  public void onError(Throwable t) {
    LOG.fine(() -> "An event stream failed: " + t);
    containerClosed();
  }

  /** Writes while the container is ready; never blocks. */
  private void drain() {
    int written = 0;
    writeLock.lock();
    try {
      while (!closed.get()) {
        if (!out.isReady()) {
          waitingSince = System.nanoTime();
          waiting = true;
          return;
        }
        Object item = queue.poll();
        if (item == null) {
          if (unflushed) {
            unflushed = false;
            out.flush();
            continue;
          }
          if (ending) {
            closed.set(true);
            async.complete();
            forget();
          }
          return;
        }
        if (item instanceof SseEvent event) {
          queuedBytes.addAndGet(-event.length());
          out.write(event.bytes());
          unflushed = true;
          written++;
        } else {
          ((Runnable) item).run();
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.fine(() -> "An event stream went away: " + e);
      closed.set(true);
      queue.clear();
      forget();
    } finally {
      writeLock.unlock();
      if (written > 0) {
        sent.add(written);
      }
      if (!waiting && !closed.get() && !queue.isEmpty()) {
        schedule(); // queued while this drain was finishing
      }
    }
  }

  /**
   * Looks for a client that went away. Its going is only noticed when a write fails, a write only
   * fails once the client's reset answered an earlier one, and the failure only shows at the next
   * call into the output. So shortly after a heartbeat: an empty comment (which fails if the client
   * is gone), and then a look at the output. A gone client then lets go of its stream (and its
   * slot) within one heartbeat.
   */
  void probe(boolean write) {
    if (closed.get() || waiting || !queue.isEmpty()) {
      return;
    }
    if (write) {
      queuedBytes.addAndGet(SseEvent.PROBE.length());
      queue.add(SseEvent.PROBE);
    }
    if (scheduled.compareAndSet(false, true)) {
      executor.execute(drainTask);
    }
  }

  /**
   * Ends the stream after what is queued (the client's EventSource reconnects with Last-Event-ID);
   * a client that does not read it is cut by the write timeout.
   */
  public void end() {
    ending = true;
    if (!waiting && scheduled.compareAndSet(false, true)) {
      executor.execute(drainTask);
    }
  }

  /**
   * Stops writing at once and resets the TCP connection: for a client that stopped reading. Called
   * off the container's threads; the container then ends the request as for a vanished client.
   */
  public void cut() {
    if (closed.getAndSet(true)) {
      return;
    }
    stopWriting();
    onCut.run();
    tcp.abort();
  }

  /**
   * The container ended this request (client gone, error): waits for a write in progress, then
   * refuses all others. Called from the container's listeners, before it reuses the response.
   */
  void containerClosed() {
    closed.set(true);
    stopWriting();
  }

  /** With {@link #closed} set: waits for a write in progress, drops what is queued, forgets. */
  private void stopWriting() {
    writeLock.lock();
    try {
      queue.clear();
      queuedBytes.set(0);
    } finally {
      writeLock.unlock();
    }
    forget();
  }

  private void forget() {
    if (forgotten.compareAndSet(false, true)) {
      onClosed.accept(this);
    }
  }
}
