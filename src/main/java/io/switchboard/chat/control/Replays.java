package io.switchboard.chat.control;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where the pages of joins' replays are read: off the writers and the delivering threads (a read
 * may wait on Redis), one page at a time per member, as the member's client takes them.
 *
 * @param executor runs page reads
 * @param scheduler retries a read that failed (the broker was unreachable)
 * @param queueBudget a connection's outgoing byte bound; a page waits while half of it is queued
 */
record Replays(Executor executor, ScheduledExecutorService scheduler, long queueBudget) {

  /** Messages per replay page. */
  static final int PAGE_MESSAGES = 100;

  /** Stored bytes per replay page (a page holds at least one message). */
  static final int PAGE_BYTES = 64 * 1024;

  static final long RETRY_MILLIS = 1000;

  void soon(Runnable step) {
    executor.execute(step);
  }

  void later(Runnable step) {
    scheduler.schedule(() -> executor.execute(step), RETRY_MILLIS, TimeUnit.MILLISECONDS);
  }
}
