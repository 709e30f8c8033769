package io.switchboard.platform;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Switchboard's own threads, made by the container's managed thread factory: the writers that drain
 * connection outboxes and SSE queues, and one scheduler for heartbeats and sweeps.
 *
 * <p>Why not the container's default executor: writes must never wait behind unrelated work, and
 * the writer pool is sized to the CPUs (writes never block; a stalled client parks its queue, not a
 * thread).
 */
@ApplicationScoped
public class Workers {

  private static final Logger LOG = Logger.getLogger(Workers.class.getName());

  @Resource ManagedThreadFactory threads;

  private ThreadPoolExecutor writers;
  private ThreadPoolExecutor sseWriters;
  private ThreadPoolExecutor replays;
  private ThreadPoolExecutor releases;
  private ScheduledThreadPoolExecutor clusterTimers;
  private ScheduledThreadPoolExecutor scheduler;

  @PostConstruct
  void start() {
    int size = Math.max(2, Runtime.getRuntime().availableProcessors());
    writers =
        new ThreadPoolExecutor(
            size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
    // SSE writes go through Jersey, which writes synchronously: a client whose socket is full
    // parks the writing thread, so SSE gets its own, larger pool and never starves WebSockets.
    sseWriters =
        new ThreadPoolExecutor(16, 16, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
    sseWriters.allowCoreThreadTimeOut(true);
    // Replay pages may wait on Redis: their own pool, never the writers'. At most one task per
    // replaying member is ever queued, and members are bounded by the per-connection caps.
    replays =
        new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
    replays.allowCoreThreadTimeOut(true);
    // What a closed connection held elsewhere (its rooms, its presence in Redis) is given back
    // here, never on the thread that closed it (a heartbeat's, a writer's, the container's).
    releases =
        new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
    releases.allowCoreThreadTimeOut(true);
    scheduler = new ScheduledThreadPoolExecutor(1, threads);
    scheduler.setRemoveOnCancelPolicy(true);
    // The cluster's own clock: the subscription's watchdog and this node's reports must never wait
    // behind heartbeats, idle closes or sweeps (a late report makes the others forget its members).
    clusterTimers = new ScheduledThreadPoolExecutor(1, threads);
    clusterTimers.setRemoveOnCancelPolicy(true);
  }

  /** Managed threads for long-running work of Switchboard's own (the Redis subscriber). */
  public ThreadFactory threads() {
    return threads;
  }

  /** Runs outbox drains: short, non-blocking tasks. */
  public ExecutorService writers() {
    return writers;
  }

  /** Runs SSE stream drains (which may block while a client's socket is full). */
  public ExecutorService sseWriters() {
    return sseWriters;
  }

  /** Reads pages of replays (joins' history, event streams' Last-Event-ID); may block on Redis. */
  public ExecutorService replays() {
    return replays;
  }

  /** Gives back what closed connections held (rooms, presence); may block on Redis. */
  public ExecutorService releases() {
    return releases;
  }

  /** Runs the Redis subscription's watchdog and this node's reports, and nothing else. */
  public ScheduledExecutorService clusterTimers() {
    return clusterTimers;
  }

  /** Runs periodic work (heartbeats, sweeps, stats); tasks must be quick and must not throw. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Schedules a periodic task that logs and survives its own failures. */
  public void every(long periodMillis, String name, Runnable task) {
    every(scheduler, periodMillis, name, task);
  }

  /** {@link #every(long, String, Runnable)} on a scheduler of its own. */
  public void every(ScheduledExecutorService on, long periodMillis, String name, Runnable task) {
    on.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + " failed", e);
          }
        },
        periodMillis,
        periodMillis,
        TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    scheduler.shutdownNow();
    clusterTimers.shutdownNow();
    sseWriters.shutdownNow();
    replays.shutdownNow();
    releases.shutdown();
    writers.shutdown();
    try {
      writers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writers.shutdownNow();
  }
}
