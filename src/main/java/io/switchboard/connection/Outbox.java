package io.switchboard.connection;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one writer of a WebSocket session: frames are queued by any thread and written one at a
 * time, in order, by a drain task on a shared executor, never by the thread that queued them.
 *
 * <p>The queue is bounded by {@code maxQueued} items; a batch (a join's history) is one item. When
 * a client stops reading, the container's write stops completing, the queue fills, and the outbox
 * reports overflow once (the connection then closes with 4009) and drops everything it holds, so
 * a stalled client never grows the heap past its bound.
 *
 * <p>Allocation per frame is the send itself: the completion handler is reused because at most
 * one write is in flight.
 */
public final class Outbox {

  private static final Object PING = new Object();
  private static final ByteBuffer PING_PAYLOAD = ByteBuffer.allocate(0);

  /** What the outbox reports to its connection. */
  public interface Listener {
    void onOverflow();

    void onWriteFailed(Throwable cause);

    void onSent(int frames);
  }

  private final RemoteEndpoint.Async remote;
  private final int maxQueued;
  private final Executor executor;
  private final Listener listener;
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final Completion completion = new Completion();
  private final Runnable drainTask = this::drain;
  private volatile boolean closed;

  /** The batch being written, touched only by the single drainer. */
  private Iterator<String> batch;

  public Outbox(RemoteEndpoint.Async remote, int maxQueued, Executor executor, Listener listener) {
    this.remote = remote;
    this.maxQueued = maxQueued;
    this.executor = executor;
    this.listener = listener;
  }

  /** Queues one text frame; false when the outbox is closed or just overflowed. */
  public boolean send(String frame) {
    return offer(frame);
  }

  /** Queues frames that must go out together, in order, counted as one item. */
  public boolean send(List<String> frames) {
    return frames.isEmpty() || offer(List.copyOf(frames));
  }

  /** Queues a WebSocket ping control frame. */
  public boolean ping() {
    return offer(PING);
  }

  /** Drops everything queued and refuses further frames. */
  public void close() {
    closed = true;
    queue.clear();
    queued.set(0);
  }

  public boolean isClosed() {
    return closed;
  }

  /** Items waiting to be written. */
  public int queued() {
    return queued.get();
  }

  private boolean offer(Object item) {
    if (closed) {
      return false;
    }
    if (queued.incrementAndGet() > maxQueued) {
      close();
      listener.onOverflow();
      return false;
    }
    queue.add(item);
    schedule();
    return true;
  }

  private void schedule() {
    if (draining.compareAndSet(false, true)) {
      executor.execute(drainTask);
    }
  }

  private void drain() {
    int sent = 0;
    try {
      while (!closed) {
        String frame = nextFrame();
        if (frame == null) {
          draining.set(false);
          // A frame queued after nextFrame() saw the queue empty would otherwise wait forever.
          if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
            return;
          }
          continue;
        }
        sent++;
        completion.reset();
        remote.sendText(frame, completion);
        if (!completion.returned()) {
          return; // completes later; the completion handler schedules the next drain
        }
        if (completion.failure != null) {
          fail(completion.failure);
          return;
        }
      }
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      if (sent > 0) {
        listener.onSent(sent);
      }
    }
  }

  /** The next text frame to write, writing pings on the way; null when nothing is queued. */
  private String nextFrame() throws RuntimeException {
    while (true) {
      if (batch != null) {
        if (batch.hasNext()) {
          return batch.next();
        }
        batch = null;
      }
      Object item = queue.poll();
      if (item == null) {
        return null;
      }
      queued.decrementAndGet();
      if (item == PING) {
        try {
          remote.sendPing(PING_PAYLOAD.duplicate());
        } catch (IOException | IllegalArgumentException e) {
          fail(e);
          return null;
        }
      } else if (item instanceof String text) {
        return text;
      } else {
        @SuppressWarnings("unchecked")
        List<String> frames = (List<String>) item;
        batch = frames.iterator();
      }
    }
  }

  private void fail(Throwable cause) {
    if (!closed) {
      close();
      listener.onWriteFailed(cause);
    }
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
        return;
      }
      executor.execute(drainTask);
    }
  }
}
