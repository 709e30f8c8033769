package io.switchboard.connection;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A session's scheduler that drops Tyrus's idle-timeout tasks and hands every other task to the
 * container's scheduler (see {@link TyrusInternals}): with the idle timeout at 0 those tasks do
 * nothing anyway, and scheduling one per message on the container's managed scheduler costs more
 * than the write itself. Tyrus's other tasks (its heartbeat, if a client turned it on) still run.
 */
final class IdleTimerFilter extends AbstractExecutorService implements ScheduledExecutorService {

  /** The simple name of Tyrus's idle-timeout task ({@code TyrusSession$IdleTimeoutCommand}). */
  static final String IDLE_TASK = "IdleTimeoutCommand";

  private static volatile IdleTimerFilter last;

  private final ScheduledExecutorService container;

  private IdleTimerFilter(ScheduledExecutorService container) {
    this.container = container;
  }

  /** The filter around {@code container} (one instance for the container's shared scheduler). */
  static IdleTimerFilter around(ScheduledExecutorService container) {
    if (container instanceof IdleTimerFilter filter) {
      return filter;
    }
    IdleTimerFilter filter = last;
    if (filter == null || filter.container != container) {
      filter = new IdleTimerFilter(container);
      last = filter;
    }
    return filter;
  }

  static boolean isIdleTimer(Object task) {
    return task.getClass().getSimpleName().equals(IDLE_TASK);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return isIdleTimer(command) ? dropped() : container.schedule(command, delay, unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return isIdleTimer(callable) ? dropped() : container.schedule(callable, delay, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return isIdleTimer(command)
        ? dropped()
        : container.scheduleAtFixedRate(command, initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return isIdleTimer(command)
        ? dropped()
        : container.scheduleWithFixedDelay(command, initialDelay, delay, unit);
  }

  @Override
  public void execute(Runnable command) {
    if (!isIdleTimer(command)) {
      container.execute(command);
    }
  }

  /**
   * The container's scheduler is not ours to stop, nor to ask (a managed scheduler refuses its
   * lifecycle methods).
   */
  @Override
  public void shutdown() {}

  @Override
  public List<Runnable> shutdownNow() {
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return false;
  }

  private static final ScheduledFuture<Object> DROPPED =
      new ScheduledFuture<>() {
        @Override
        public long getDelay(TimeUnit unit) {
          return 0;
        }

        @Override
        public int compareTo(Delayed other) {
          return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
          return false;
        }

        @Override
        public boolean isCancelled() {
          return true;
        }

        @Override
        public boolean isDone() {
          return true;
        }

        @Override
        public Object get() {
          return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
          return null;
        }
      };

  @SuppressWarnings("unchecked")
  private static <V> ScheduledFuture<V> dropped() {
    return (ScheduledFuture<V>) DROPPED;
  }
}
