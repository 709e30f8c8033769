package io.switchboard.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdleTimerFilterTest {

  private final ScheduledExecutorService container = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger idleRuns = new AtomicInteger();

  /** Named as Tyrus's idle-timeout task is. */
  private final class IdleTimeoutCommand implements Runnable {
    @Override
    public void run() {
      idleRuns.incrementAndGet();
    }
  }

  @AfterEach
  void stop() {
    container.shutdownNow();
  }

  @Test
  void dropsTheIdleTimersTasksAndRunsEveryOtherTask() throws Exception {
    IdleTimerFilter filter = IdleTimerFilter.around(container);
    CountDownLatch others = new CountDownLatch(3);

    filter.schedule(new IdleTimeoutCommand(), 0, TimeUnit.MILLISECONDS);
    filter.execute(new IdleTimeoutCommand());
    filter.scheduleAtFixedRate(new IdleTimeoutCommand(), 0, 1, TimeUnit.MILLISECONDS);
    filter.schedule(others::countDown, 0, TimeUnit.MILLISECONDS); // Tyrus's heartbeat, say
    filter.execute(others::countDown);
    filter.schedule(() -> others.countDown(), 1, TimeUnit.MILLISECONDS);

    assertThat(others.await(5, TimeUnit.SECONDS)).as("other tasks ran").isTrue();
    // Behind the others on the container's one thread: every idle task would have run by now.
    CountDownLatch flushed = new CountDownLatch(1);
    container.schedule(flushed::countDown, 20, TimeUnit.MILLISECONDS);
    assertThat(flushed.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(idleRuns).as("idle-timeout tasks dropped").hasValue(0);
  }

  @Test
  void oneFilterPerContainerSchedulerAndNeverAFilterOfAFilter() {
    IdleTimerFilter filter = IdleTimerFilter.around(container);
    assertThat(IdleTimerFilter.around(container)).isSameAs(filter);
    assertThat(IdleTimerFilter.around(filter)).isSameAs(filter);
    assertThat(filter.isShutdown()).as("the container's scheduler is not ours to stop").isFalse();
  }
}
