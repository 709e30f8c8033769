package io.switchboard.connection;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that accepts and drops every task, for Tyrus's idle timer (see {@link
 * TyrusInternals}): with the idle timeout at 0 those tasks do nothing anyway, and scheduling them
 * on the container's managed scheduler costs more than the write itself.
 */
final class IgnoringScheduler extends AbstractExecutorService implements ScheduledExecutorService {

  static final IgnoringScheduler INSTANCE = new IgnoringScheduler();

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

  private IgnoringScheduler() {}

  @SuppressWarnings("unchecked")
  private static <V> ScheduledFuture<V> dropped() {
    return (ScheduledFuture<V>) DROPPED;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return dropped();
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return dropped();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return dropped();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return dropped();
  }

  @Override
  public void execute(Runnable command) {
    // dropped, like every other task
  }

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
}
