package io.switchboard.broker;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.logging.Logger;

/**
 * The listener's side of the broker's delivery contract, written once for rooms and notifications.
 * Items of a sequence (a room's offsets, the notification ids) arrive at most once, late or out of
 * order, each of an epoch; the sequencer hands them to its {@link Sink} exactly once, in order, one
 * epoch at a time.
 *
 * <ul>
 *   <li>A gap is filled from history ({@link History}) off the delivering thread, and the fill is
 *       retried until it succeeds: no item is skipped because a read failed.
 *   <li>An item of another epoch, or one at or below the last delivered, makes the sequencer read
 *       the history's head: a new epoch, or a sequence that went back under the same epoch (a
 *       restored snapshot), {@link Sink#reset resets} the sink, and delivery starts again from the
 *       new history's beginning.
 *   <li>Items that left history before they were delivered are reported ({@link Sink#lost}), then
 *       delivery goes on from the oldest kept.
 * </ul>
 *
 * Sink calls happen under the sequencer's lock and must only queue; history is read outside it.
 */
public final class Sequencer<T> {

  private static final Logger LOG = Logger.getLogger(Sequencer.class.getName());

  /** Items beyond a gap held while it is filled; past this they are read from history instead. */
  static final int MAX_PENDING = 1000;

  static final long FIRST_RETRY_MILLIS = 100;
  static final long MAX_RETRY_MILLIS = 5000;

  /** At most one look at the head per this long because of items at or below the last. */
  static final long DUPLICATE_CHECK_MILLIS = 1000;

  /** Reads the sequence's history (may block, may throw). */
  public interface History<T> {
    Page<T> after(long after);

    /**
     * Gives the history a new epoch if it still has {@code epoch} (its sequence went back under
     * it), and returns the epoch it has afterwards.
     */
    String renew(String epoch);
  }

  /**
   * A slice of history.
   *
   * @param oldest the oldest sequence number kept ({@code latest + 1} when none is)
   * @param items those after the asked position, oldest first, bounded
   */
  public record Page<T>(String epoch, long latest, long oldest, List<T> items) {}

  /** Where the ordered items go (calls are made under the sequencer's lock: queue only). */
  public interface Sink<T> {
    /** The next item, in order, once. */
    void deliver(T item);

    /**
     * The history was replaced (a new epoch, or it went back): what was delivered before no longer
     * counts. Items of the new history follow from its beginning.
     */
    void reset(String epoch, long latest);

    /** Items {@code from} to {@code to} left history before they were delivered. */
    void lost(long from, long to, long latest);
  }

  private final String name;
  private final ToLongFunction<T> sequence;
  private final Function<T, String> epochOf;
  private final History<T> history;
  private final Sink<T> sink;
  private final Executor executor;
  private final ScheduledExecutorService scheduler;

  private final TreeMap<Long, T> pending = new TreeMap<>();
  private String epoch;
  private long last = -1;

  /** The epoch is a placeholder until the history's first real one is seen. */
  private boolean provisional;

  private boolean closed;

  /** A catch-up is queued or running; another was asked for meanwhile. */
  private boolean catchingUp;

  private boolean again;
  private long lastDuplicateCheck;
  private long retryMillis = FIRST_RETRY_MILLIS;

  public Sequencer(
      String name,
      ToLongFunction<T> sequence,
      Function<T, String> epochOf,
      History<T> history,
      Sink<T> sink,
      Executor executor,
      ScheduledExecutorService scheduler) {
    this.name = name;
    this.sequence = sequence;
    this.epochOf = epochOf;
    this.history = history;
    this.sink = sink;
    this.executor = executor;
    this.scheduler = scheduler;
  }

  /** Starts at the history's head: items after {@code latest}, of {@code epoch}, follow. */
  public synchronized void start(String epoch, long latest) {
    start(epoch, latest, false);
  }

  /**
   * {@link #start(String, long)}; a {@code provisional} head is one read from a history that does
   * not exist yet (its epoch is nobody's): the first real epoch seen is then taken on without a
   * reset, since nothing of the provisional one was ever delivered. A later real head does the
   * same.
   */
  public synchronized void start(String epoch, long latest, boolean provisional) {
    if (last < 0) {
      this.epoch = epoch;
      this.last = latest;
      this.provisional = provisional;
    } else if (this.provisional && !provisional) {
      this.provisional = false;
      this.epoch = epoch;
      if (latest > last) {
        wantCatchUp();
      }
    }
  }

  public synchronized boolean isStarted() {
    return last >= 0;
  }

  /** The last sequence number delivered, -1 before {@link #start}. */
  public synchronized long last() {
    return last;
  }

  public synchronized String epoch() {
    return epoch;
  }

  /** Stops: nothing more is delivered or read. */
  public synchronized void close() {
    closed = true;
    pending.clear();
  }

  /** An item from the broker (any thread; never blocks on history). */
  public void offer(T item) {
    synchronized (this) {
      if (closed || last < 0) {
        return;
      }
      long s = sequence.applyAsLong(item);
      if (!epochOf.apply(item).equals(epoch)) {
        wantCatchUp(); // a new epoch, or a stray of an old one: the head says which
        return;
      }
      if (s <= last) {
        long now = System.currentTimeMillis();
        if (now - lastDuplicateCheck >= DUPLICATE_CHECK_MILLIS) {
          lastDuplicateCheck = now; // usually a repeat after a fill; it may be a set-back
          wantCatchUp();
        }
        return;
      }
      if (s == last + 1 && pending.isEmpty()) {
        deliver(item);
        return;
      }
      if (pending.size() < MAX_PENDING) {
        pending.put(s, item);
      }
      drainPending();
      if (!pending.isEmpty()) {
        wantCatchUp();
      }
    }
  }

  /** The broker may have missed items (its connection was down): catch up from history. */
  public void resync() {
    synchronized (this) {
      if (closed || last < 0) {
        return;
      }
      wantCatchUp();
    }
  }

  private void deliver(T item) {
    last = sequence.applyAsLong(item);
    sink.deliver(item);
  }

  private void drainPending() {
    while (!pending.isEmpty()) {
      Map.Entry<Long, T> first = pending.firstEntry();
      if (first.getKey() <= last) {
        pending.pollFirstEntry();
      } else if (first.getKey() == last + 1) {
        pending.pollFirstEntry();
        deliver(first.getValue());
      } else {
        return;
      }
    }
  }

  /** Under the lock: makes sure a catch-up runs (soon) after this. */
  private void wantCatchUp() {
    if (catchingUp) {
      again = true;
      return;
    }
    catchingUp = true;
    executor.execute(this::catchUp);
  }

  /** Reads history until the sequence has no gap (off every lock while reading). */
  private void catchUp() {
    while (true) {
      long after;
      synchronized (this) {
        if (closed) {
          catchingUp = false;
          return;
        }
        again = false;
        after = last;
      }
      String seen;
      synchronized (this) {
        seen = epoch;
      }
      Page<T> page;
      try {
        page = history.after(after);
        if (page.epoch().equals(seen) && page.latest() < after) {
          // Set back under the same epoch (a restored snapshot): a new epoch makes every node and
          // every client start over with it, instead of comparing new offsets with old ones.
          String renewed = history.renew(seen);
          page = new Page<>(renewed, page.latest(), page.oldest(), page.items());
        }
      } catch (RuntimeException e) {
        retryLater(e);
        return;
      }
      synchronized (this) {
        retryMillis = FIRST_RETRY_MILLIS;
        if (closed) {
          catchingUp = false;
          return;
        }
        if (!page.epoch().equals(epoch) && provisional) {
          epoch = page.epoch(); // the history came into being: nothing delivered to take back
          provisional = false;
          continue;
        }
        if (!page.epoch().equals(epoch)) {
          // The history was replaced (lost, or set back): everything starts over.
          Page<T> replaced = page;
          LOG.info(
              () ->
                  name
                      + ": history replaced (epoch "
                      + epoch
                      + " at "
                      + after
                      + ", now "
                      + replaced.epoch()
                      + " at "
                      + replaced.latest()
                      + "); members are told");
          epoch = page.epoch();
          last = 0;
          pending.clear();
          sink.reset(page.epoch(), page.latest());
          continue;
        }
        if (page.oldest() > last + 1 && page.latest() > last) {
          long from = last + 1;
          long to = page.oldest() - 1;
          LOG.warning(() -> name + ": items " + from + " to " + to + " left history undelivered");
          sink.lost(from, to, page.latest());
          last = to;
        }
        for (T item : page.items()) {
          if (sequence.applyAsLong(item) == last + 1) {
            deliver(item);
          }
        }
        drainPending();
        boolean more = !page.items().isEmpty() && last < page.latest();
        if (more || again) {
          continue;
        }
        catchingUp = false;
        if (pending.isEmpty()) {
          return;
        }
      }
      // Items beyond a gap that this read did not see yet (it raced their store): look again soon.
      scheduler.schedule(
          () -> {
            synchronized (this) {
              if (!pending.isEmpty()) {
                wantCatchUp();
              }
            }
          },
          FIRST_RETRY_MILLIS,
          TimeUnit.MILLISECONDS);
      return;
    }
  }

  private void retryLater(RuntimeException e) {
    long delay;
    synchronized (this) {
      delay = retryMillis;
      retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
    }
    LOG.fine(() -> name + ": history could not be read (" + e + "); retrying in " + delay + " ms");
    scheduler.schedule(() -> executor.execute(this::catchUp), delay, TimeUnit.MILLISECONDS);
  }
}
