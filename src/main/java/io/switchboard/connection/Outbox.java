package io.switchboard.connection;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writer of a WebSocket session: frames are queued by any thread and written one at a time,
 * in order.
 *
 * <p>A frame {@link #send sent} to an idle outbox (nothing queued, no write in flight, and no write
 * for {@link #INLINE_IDLE_NANOS}) is written at once by the thread that sent it: the container's
 * write does not block (a socket that cannot take it keeps it in the container's queue and
 * completes later), so an everyday delivery costs the write and nothing else, without a hop to
 * another thread and its wake-up. Otherwise the frame is queued and a drain task on the shared
 * executor writes it; frames that arrive while a write is in progress, or in quick succession (a
 * busy room), go out together in fewer, larger writes.
 *
 * <p>The queue is bounded twice: by {@code maxQueued} frames and by {@code maxQueuedBytes}, the
 * encoded size of what it holds. When a client stops reading, the container's write stops
 * completing, the queue fills, and the outbox reports overflow once (the connection then closes
 * with 4009) and drops everything it holds, so a stalled client never grows the heap past its
 * bound. Work that would queue more than the bound at once (a join's replay) is queued a page at a
 * time: a {@link #mark marker} behind a page runs when the writer reaches it, and queues the next.
 *
 * <p>Allocation per frame is the send itself: the completion handler is reused because at most one
 * write is in flight. A {@link SharedFrame} (a broadcast) is written as the bytes it was encoded to
 * once, where the container allows it (see {@link TyrusInternals#rawFrames}).
 */
public final class Outbox {

  private static final Object PING = new Object();

  /** At most this many frames, and bytes, go out in one write. */
  static final int MAX_WRITE_FRAMES = 64;

  static final int MAX_WRITE_BYTES = 32 * 1024;

  /**
   * A frame is written by the thread that queued it only when the last write started at least this
   * long ago: a connection sent frames faster than this (a busy room) has them gathered by the
   * executor's drain instead, in fewer writes.
   */
  static final long INLINE_IDLE_NANOS = 2_000_000;

  private static final ByteBuffer PING_PAYLOAD = ByteBuffer.allocate(0);

  /** What the outbox reports to its connection. */
  public interface Listener {
    void onOverflow();

    void onWriteFailed(Throwable cause);

    void onSent(int frames);

    /** Frames refused or thrown away (closing, or past the bound). */
    default void onDropped(int frames) {}
  }

  private final RemoteEndpoint.Async remote;
  private final int maxQueued;
  private final long maxQueuedBytes;
  private final Executor executor;
  private final Listener listener;

  /** Frames ({@link SharedFrame}), {@link #PING} and markers ({@link Runnable}), in order. */
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();

  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final Completion completion = new Completion();
  private final Runnable drainTask = this::drain;
  private final AtomicReference<Runnable> closer = new AtomicReference<>();

  /** Writes encoded frames straight to the container; null where that is not possible. */
  private final TyrusInternals.RawFrames raw;

  /**
   * Held around each call into the container's send. Why: Payara recycles a WebSocket's HTTP
   * response for the next request right after reporting the close to the endpoint; a write that
   * raced with that close was seen landing on a newer client's socket. {@link #close()} takes this
   * lock, and the endpoint's close handler calls it before the container recycles.
   */
  private final ReentrantLock writeLock = new ReentrantLock();

  private volatile boolean closed;

  /** The drain in progress runs on the thread that queued its frame; the drainer's own. */
  private boolean inlineDrain;

  /** When the last write started ({@link System#nanoTime()}); the drainer's own, read by offers. */
  private volatile long lastWriteNanos = System.nanoTime() - INLINE_IDLE_NANOS;

  /** Set by {@link #closeAfterFlush}: no new frames, and close once the queue is written. */
  private volatile boolean flushing;

  /** A frame {@link #gather} took that did not fit its write; the next one written. */
  private SharedFrame carried;

  /** Frames in the last {@link #gather}, and its parts; the drainer's own. */
  private int gathered;

  private final List<ByteBuffer> parts = new java.util.ArrayList<>();

  public Outbox(
      RemoteEndpoint.Async remote,
      int maxQueued,
      long maxQueuedBytes,
      Executor executor,
      Listener listener) {
    this(
        remote,
        maxQueued,
        maxQueuedBytes,
        executor,
        listener,
        handler -> TyrusInternals.rawFrames(remote, handler));
  }

  /** With {@code raw} making the writer of encoded frames (or null) for a completion handler. */
  Outbox(
      RemoteEndpoint.Async remote,
      int maxQueued,
      long maxQueuedBytes,
      Executor executor,
      Listener listener,
      java.util.function.Function<SendHandler, TyrusInternals.RawFrames> raw) {
    this.remote = remote;
    this.maxQueued = maxQueued;
    this.maxQueuedBytes = maxQueuedBytes;
    this.executor = executor;
    this.listener = listener;
    this.raw = raw.apply(completion);
  }

  /** Queues one text frame; false when the outbox is closed or just overflowed. */
  public boolean send(String frame) {
    return offer(SharedFrame.of(frame), true);
  }

  /** Queues a frame encoded once for many connections (written at once when the outbox idles). */
  public boolean send(SharedFrame frame) {
    return offer(frame, true);
  }

  /**
   * Queues a frame for the executor's drain, never written by this thread: for a thread that hands
   * one frame to many connections (a large room), which must not make all their writes itself.
   */
  public boolean enqueue(SharedFrame frame) {
    return offer(frame, false);
  }

  /**
   * Queues a marker: {@code reached} runs on the writer once every frame queued before it was
   * handed to the container (it must be quick and must not block: it may queue more). Markers are
   * dropped with everything else when the outbox closes.
   */
  public boolean mark(Runnable reached) {
    return offer(reached, false);
  }

  /** Queues a WebSocket ping control frame. */
  public boolean ping() {
    return offer(PING, false);
  }

  /**
   * Drops everything queued and refuses further frames. Waits for a write call in progress to
   * return, so that no write starts after the container was told the connection is closed.
   */
  public void close() {
    closed = true;
    writeLock.lock();
    try {
      int dropped = queued.getAndSet(0);
      queue.clear();
      queuedBytes.set(0);
      if (dropped > 0) {
        listener.onDropped(dropped);
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Refuses further frames, writes what is queued, then runs {@code action} (on the executor): a
   * close that loses nothing already accepted (a node draining for shutdown).
   */
  public void closeAfterFlush(Runnable action) {
    closer.set(action);
    flushing = true;
    if (draining.compareAndSet(false, true)) {
      if (queue.isEmpty()) {
        closed = true;
        runCloser();
      } else {
        executor.execute(drainTask);
      }
    }
  }

  /**
   * Drops everything queued, refuses further frames, and runs {@code action} (on the executor) once
   * no write is in flight, so that a close frame sent by the action is not stuck behind a write the
   * client has not read yet.
   */
  public void closeThen(Runnable action) {
    closer.set(action);
    close();
    if (draining.compareAndSet(false, true)) {
      runCloser();
    }
  }

  private void runCloser() {
    Runnable action = closer.getAndSet(null);
    if (action != null) {
      executor.execute(action);
    }
  }

  /**
   * Called by the drain that found the outbox closed: gives up the drain, and runs the closer if
   * one is set (it may be set a moment later, by {@link #closeThen}, which then runs it itself).
   */
  private void finishClosed() {
    draining.set(false);
    if (closer.get() != null && draining.compareAndSet(false, true)) {
      runCloser();
    }
  }

  public boolean isClosed() {
    return closed;
  }

  /** Frames waiting to be written. */
  public int queued() {
    return queued.get();
  }

  /** Encoded bytes of the frames waiting to be written. */
  public long queuedBytes() {
    return queuedBytes.get();
  }

  private boolean offer(Object item, boolean mayWriteNow) {
    if (closed || flushing) {
      listener.onDropped(1);
      return false;
    }
    if (item instanceof SharedFrame frame) {
      boolean over = queued.incrementAndGet() > maxQueued;
      over |= queuedBytes.addAndGet(frame.wireLength()) > maxQueuedBytes;
      if (over) {
        close();
        // Not on this thread: the caller may hold a room's lock and iterate its members.
        executor.execute(listener::onOverflow);
        return false;
      }
    }
    queue.add(item);
    schedule(mayWriteNow);
    return true;
  }

  /** Starts a drain if none runs: here and now when the outbox was idle, else on the executor. */
  private void schedule(boolean mayWriteNow) {
    if (draining.compareAndSet(false, true)) {
      if (mayWriteNow && System.nanoTime() - lastWriteNanos >= INLINE_IDLE_NANOS) {
        drain(true);
      } else {
        executor.execute(drainTask);
      }
    }
  }

  private void drain() {
    drain(false);
  }

  /**
   * Writes what is queued, one write at a time, until the queue is empty or a write completes
   * later. An {@code inline} drain (on the thread that queued the frame) makes one write and hands
   * what is left to the executor, and reports a failure from the executor too: its caller may hold
   * a room's lock.
   */
  private void drain(boolean inline) {
    inlineDrain = inline;
    int sent = 0;
    try {
      while (!closed) {
        if (inline && sent > 0 && (carried != null || !queue.isEmpty())) {
          executor.execute(drainTask); // the rest is the executor's: this thread has its own work
          return;
        }
        SharedFrame frame = nextFrame();
        if (frame == null && flushing) {
          closed = true; // everything accepted is written
          break;
        }
        if (frame == null) {
          draining.set(false);
          if (closed && draining.compareAndSet(false, true)) {
            break; // closed meanwhile: finishing is ours to do
          }
          // A frame queued after nextFrame() saw the queue empty would otherwise wait forever.
          if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
            return;
          }
          continue;
        }
        writeLock.lock();
        try {
          if (closed) {
            break;
          }
          completion.reset();
          lastWriteNanos = System.nanoTime();
          if (raw != null) {
            ByteBuffer wire = gather(frame);
            sent += gathered;
            raw.send(wire);
          } else {
            sent++;
            remote.sendText(frame.text(), completion);
          }
        } finally {
          writeLock.unlock();
        }
        if (!completion.returned()) {
          return; // completes later; the completion handler schedules the next drain
        }
        if (completion.failure != null) {
          fail(completion.failure);
          return;
        }
      }
      finishClosed();
    } catch (RuntimeException | Error e) {
      // Whatever the container throws (an encoder can throw an Error), this connection ends
      // cleanly instead of keeping a drain that never finishes.
      fail(e);
      if (e instanceof VirtualMachineError error) {
        throw error;
      }
    } finally {
      if (sent > 0) {
        listener.onSent(sent);
      }
    }
  }

  /**
   * The next frame to write, writing pings and running markers on the way; null when nothing is
   * queued.
   */
  private SharedFrame nextFrame() throws RuntimeException {
    if (carried != null) {
      SharedFrame frame = carried;
      carried = null;
      return frame;
    }
    while (true) {
      Object item = queue.poll();
      if (item == null) {
        return null;
      }
      if (item instanceof SharedFrame frame) {
        queued.decrementAndGet();
        queuedBytes.addAndGet(-frame.wireLength());
        return frame;
      }
      if (item == PING) {
        writeLock.lock();
        try {
          if (!closed) {
            remote.sendPing(PING_PAYLOAD.duplicate());
          }
        } catch (IOException | IllegalArgumentException e) {
          fail(e);
          return null;
        } finally {
          writeLock.unlock();
        }
      } else if (!closed) {
        ((Runnable) item).run();
      }
    }
  }

  /**
   * The bytes of {@code first} and of the frames queued behind it, up to {@link #MAX_WRITE_FRAMES}
   * frames and {@link #MAX_WRITE_BYTES}: one write, so one pass through the container's output path
   * and one system call, for all of them. A client that keeps up gets one frame per write; a
   * backlog (a busy room, a moment of slowness) is caught up with fewer, larger writes.
   */
  private ByteBuffer gather(SharedFrame first) {
    ByteBuffer wire = first.wire();
    gathered = 1;
    if (queue.isEmpty()) {
      return wire;
    }
    parts.clear();
    parts.add(wire);
    int bytes = wire.remaining();
    while (gathered < MAX_WRITE_FRAMES && !queue.isEmpty()) {
      SharedFrame next = nextFrame();
      if (next == null) {
        break;
      }
      ByteBuffer more = next.wire();
      if (bytes + more.remaining() > MAX_WRITE_BYTES) {
        carried = next;
        break;
      }
      parts.add(more);
      bytes += more.remaining();
      gathered++;
    }
    if (parts.size() == 1) {
      return wire;
    }
    ByteBuffer combined = ByteBuffer.allocate(bytes);
    parts.forEach(combined::put);
    parts.clear();
    return combined.flip();
  }

  /**
   * A write failed; called by the drain in progress. An inline drain's listener is told on the
   * executor: the thread that queued the frame may hold a room's lock.
   */
  private void fail(Throwable cause) {
    boolean wasOpen = !closed;
    boolean inline = inlineDrain;
    close();
    if (wasOpen) {
      if (inline) {
        executor.execute(() -> listener.onWriteFailed(cause));
      } else {
        listener.onWriteFailed(cause);
      }
    }
    finishClosed();
  }

  /**
   * Tells whether a write completed inside {@code sendText} (the drain loop continues) or later
   * (the handler schedules a new drain). States: 0 pending, 1 completed inline, 2 returned first.
   */
  private final class Completion implements SendHandler {
    private final AtomicInteger state = new AtomicInteger();
    volatile Throwable failure;

    void reset() {
      failure = null;
      state.set(0);
    }

    /** Called by the drainer after sendText returns; true when the write already completed. */
    boolean returned() {
      return !state.compareAndSet(0, 2);
    }

    @Override
    public void onResult(SendResult result) {
      if (!result.isOK()) {
        failure = result.getException();
      }
      if (state.compareAndSet(0, 1)) {
        return; // inline: the drain loop carries on
      }
      if (failure != null) {
        fail(failure);
      } else if (closed) {
        finishClosed();
      } else {
        executor.execute(drainTask);
      }
    }
  }
}
