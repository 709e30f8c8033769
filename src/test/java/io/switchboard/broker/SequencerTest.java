package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SequencerTest {

  /** An item: its epoch and sequence number. */
  record Item(String epoch, long seq) {}

  /** A history that tests rewrite: its epoch and items, and reads that may fail. */
  static final class Store implements Sequencer.History<Item> {
    volatile String epoch = "e1";
    final List<Item> items = new CopyOnWriteArrayList<>();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();

    Item add() {
      Item item = new Item(epoch, items.isEmpty() ? 1 : items.get(items.size() - 1).seq() + 1);
      items.add(item);
      return item;
    }

    @Override
    public String renew(String seen) {
      if (epoch.equals(seen)) {
        epoch = seen + "'";
        items.replaceAll(item -> new Item(epoch, item.seq()));
      }
      return epoch;
    }

    @Override
    public Sequencer.Page<Item> after(long after) {
      reads.incrementAndGet();
      if (failures.getAndUpdate(f -> Math.max(0, f - 1)) > 0) {
        throw new IllegalStateException("Redis is unreachable");
      }
      long latest = items.isEmpty() ? 0 : items.get(items.size() - 1).seq();
      long oldest = items.isEmpty() ? latest + 1 : items.get(0).seq();
      List<Item> page = new ArrayList<>();
      for (Item item : items) {
        if (item.seq() > after && page.size() < 3) {
          page.add(item);
        }
      }
      return new Sequencer.Page<>(epoch, latest, oldest, page);
    }
  }

  final List<String> events = new CopyOnWriteArrayList<>();
  final ScheduledExecutorService pool = Executors.newScheduledThreadPool(2);
  final Store store = new Store();
  final Sequencer<Item> sequencer =
      new Sequencer<>(
          "test",
          Item::seq,
          Item::epoch,
          store,
          new Sequencer.Sink<>() {
            @Override
            public void deliver(Item item) {
              events.add(item.epoch() + ":" + item.seq());
            }

            @Override
            public void reset(String epoch, long latest) {
              events.add("reset " + epoch + " at " + latest);
            }

            @Override
            public void lost(long from, long to, long latest) {
              events.add("lost " + from + "-" + to);
            }
          },
          pool,
          pool);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private void awaitEvents(String... expected) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(events).containsExactly(expected));
  }

  @Test
  void deliversInOrderOnceAndFillsAGapFromHistory() {
    sequencer.start("e1", 0);
    Item one = store.add();
    Item two = store.add();
    Item three = store.add();
    Item four = store.add();
    sequencer.offer(one);
    sequencer.offer(one);
    sequencer.offer(four); // two and three were missed by the broker
    awaitEvents("e1:1", "e1:2", "e1:3", "e1:4");
    sequencer.offer(three);
    sequencer.offer(two);
    assertThat(sequencer.last()).isEqualTo(4);
  }

  @Test
  void aFailedFillIsRetriedUntilItSucceeds() {
    sequencer.start("e1", 0);
    store.add();
    store.add();
    Item third = store.add();
    store.failures.set(3);
    sequencer.offer(third);
    awaitEvents("e1:1", "e1:2", "e1:3");
    assertThat(store.reads).hasValueGreaterThanOrEqualTo(4);
  }

  @Test
  void aNewEpochResetsAndDeliversTheNewHistoryFromItsStart() {
    sequencer.start("e1", 0);
    sequencer.offer(store.add());
    sequencer.offer(store.add());
    awaitEvents("e1:1", "e1:2");
    store.items.clear(); // Redis lost the room; it starts again at 1 in a new epoch
    store.epoch = "e2";
    store.add();
    Item second = store.add();
    sequencer.offer(second);
    awaitEvents("e1:1", "e1:2", "reset e2 at 2", "e2:1", "e2:2");
  }

  @Test
  void aSequenceSetBackUnderTheSameEpochGetsANewEpochAndResets() {
    sequencer.start("e1", 0);
    for (int i = 0; i < 5; i++) {
      sequencer.offer(store.add());
    }
    awaitEvents("e1:1", "e1:2", "e1:3", "e1:4", "e1:5");
    store.items.subList(2, 5).clear(); // a snapshot from before 3 was restored
    Item three = store.add();
    sequencer.offer(three);
    awaitEvents(
        "e1:1", "e1:2", "e1:3", "e1:4", "e1:5", "reset e1' at 3", "e1':1", "e1':2", "e1':3");
  }

  @Test
  void itemsThatLeftHistoryAreReportedThenDeliveryGoesOn() {
    sequencer.start("e1", 0);
    for (int i = 0; i < 6; i++) {
      store.add();
    }
    store.items.subList(0, 3).clear(); // 1 to 3 were trimmed before this node got them
    sequencer.offer(store.items.get(2)); // 6
    awaitEvents("lost 1-3", "e1:4", "e1:5", "e1:6");
  }

  @Test
  void aPlaceholderEpochIsTakenOverWithoutAResetWhenTheHistoryComesIntoBeing() {
    sequencer.start("nobody's", 0, true); // read before anything was stored
    Item one = store.add();
    sequencer.offer(one);
    awaitEvents("e1:1");
    sequencer.offer(store.add());
    awaitEvents("e1:1", "e1:2");
    assertThat(sequencer.epoch()).isEqualTo("e1");
  }

  @Test
  void aRealHeadOfAnotherEpochResetsWhereAPlaceholderDoesNot() {
    sequencer.start("gone", 0);
    sequencer.offer(store.add());
    awaitEvents("reset e1 at 1", "e1:1");
  }
}
