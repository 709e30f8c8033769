package io.switchboard.broker.redis;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * This node's one pub/sub connection to Redis, on its own managed thread.
 *
 * <p>Jedis blocks in {@code subscribe} until the connection fails, and after a silent network drop
 * it can block forever. So a watchdog pings over the subscription every {@link #PING_MILLIS} and
 * cuts the connection when no pong came back for {@link #DEAD_AFTER_MILLIS}. The thread then
 * reconnects with backoff (capped at 5 s, with jitter), subscribes every channel again, and calls
 * {@code resubscribed} so that listeners recover from history what was published meanwhile (which
 * must hand the work off: this thread delivers). Any message counts as a sign of life, so a busy
 * subscription whose pongs queue behind its messages is not taken for dead.
 */
final class RedisSubscriber implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RedisSubscriber.class.getName());
  static final long PING_MILLIS = 1000;
  static final long DEAD_AFTER_MILLIS = 5000;

  private final RedisStore store;
  private final String controlChannel;
  private final BiConsumer<String, String> onMessage;
  private final Runnable resubscribed;
  private final Set<String> channels = ConcurrentHashMap.newKeySet();
  private final Map<String, CompletableFuture<Void>> confirmations = new ConcurrentHashMap<>();
  private final Thread thread;
  private final ScheduledFuture<?> watchdog;
  private volatile boolean running = true;
  private volatile boolean subscribed;
  private volatile Jedis connection;
  private volatile PubSub pubSub;
  private volatile long lastPongMillis = System.currentTimeMillis();
  private long reconnects;

  /** Commands sent over the subscription from other threads must not interleave. */
  private final Object writes = new Object();

  RedisSubscriber(
      RedisStore store,
      String controlChannel,
      Set<String> initialChannels,
      BiConsumer<String, String> onMessage,
      Runnable resubscribed,
      ThreadFactory threads,
      ScheduledExecutorService scheduler) {
    this.store = store;
    this.controlChannel = controlChannel;
    this.onMessage = onMessage;
    this.resubscribed = resubscribed;
    this.channels.addAll(initialChannels);
    this.thread = threads.newThread(this::run);
    this.thread.setName("switchboard-redis-subscriber");
    this.thread.start();
    this.watchdog =
        scheduler.scheduleWithFixedDelay(
            this::watch, PING_MILLIS, PING_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Runs on the subscriber thread after a new connection took its list of channels and before it
   * subscribes them: where a channel added meanwhile must not be lost. For tests; does nothing.
   */
  volatile Runnable afterSnapshot = () -> {};

  /** Subscribes a channel; waits (bounded) for Redis to confirm it when connected. */
  void subscribe(String channel) {
    if (!channels.add(channel)) {
      return;
    }
    PubSub current = pubSub;
    if (current == null || !subscribed) {
      return; // subscribed with all others when the connection is (re)made
    }
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    confirmations.put(channel, confirmed);
    try {
      synchronized (writes) {
        current.subscribe(channel);
      }
      confirmed.get(RedisStore.TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // The connection is failing; the reconnect subscribes this channel and resyncs.
      LOG.fine(() -> "Subscribing " + channel + " not confirmed: " + e);
    } finally {
      confirmations.remove(channel);
    }
  }

  void unsubscribe(String channel) {
    if (channels.remove(channel)) {
      PubSub current = pubSub;
      if (current != null && subscribed) {
        try {
          synchronized (writes) {
            current.unsubscribe(channel);
          }
        } catch (RuntimeException e) {
          LOG.fine(() -> "Unsubscribing " + channel + " failed: " + e);
        }
      }
    }
  }

  /** Whether the subscription is up and answered its last ping in time. */
  boolean isHealthy() {
    return subscribed && System.currentTimeMillis() - lastPongMillis < DEAD_AFTER_MILLIS;
  }

  /** How many times the subscription had to be made again. */
  long reconnects() {
    return reconnects;
  }

  private void run() {
    long backoff = 100;
    boolean wasLost = false;
    while (running) {
      try (Jedis jedis = store.subscriber()) {
        connection = jedis;
        String[] initial = channels.toArray(String[]::new);
        PubSub listener = new PubSub(Set.of(initial));
        pubSub = listener;
        afterSnapshot.run();
        lastPongMillis = System.currentTimeMillis();
        jedis.subscribe(listener, initial);
      } catch (RuntimeException e) {
        if (running) {
          if (!wasLost) {
            LOG.warning("Redis subscription lost: " + RedisStore.rootMessage(e) + "; reconnecting");
          }
          wasLost = true;
        }
      } finally {
        subscribed = false;
        connection = null;
        pubSub = null;
      }
      if (!running) {
        return;
      }
      sleep(pause(backoff));
      backoff = Math.min(5000, backoff * 2);
      if (lastPongMillis > System.currentTimeMillis() - DEAD_AFTER_MILLIS) {
        backoff = 100; // it was healthy a moment ago: retry quickly
      }
    }
  }

  /**
   * The wait before the next attempt: random between half the backoff and all of it, so that nodes
   * that lost Redis together do not all come back in the same instant.
   */
  static long pause(long backoff) {
    return backoff / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
  }

  private final class PubSub extends JedisPubSub {
    private final Set<String> initial;
    private boolean announced;

    PubSub(Set<String> initial) {
      this.initial = initial;
    }

    @Override
    public void onSubscribe(String channel, int count) {
      lastPongMillis = System.currentTimeMillis(); // any answer is a sign of life
      CompletableFuture<Void> confirmed = confirmations.get(channel);
      if (confirmed != null) {
        confirmed.complete(null);
      }
      if (!announced && channel.equals(controlChannel)) {
        announced = true;
        subscribed = true;
        // A room joined while this connection was being made was not in its first SUBSCRIBE.
        for (String added : channels) {
          if (!initial.contains(added)) {
            synchronized (writes) {
              subscribe(added);
            }
          }
        }
        if (reconnects++ > 0) {
          LOG.info("Redis subscription is back; catching up from history");
        }
        try {
          resubscribed.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "Catching up after a resubscription failed", e);
        }
      }
    }

    @Override
    public void onMessage(String channel, String message) {
      lastPongMillis = System.currentTimeMillis(); // a busy subscription's pongs come late
      try {
        onMessage.accept(channel, message);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Handling a message of " + channel + " failed", e);
      }
    }

    @Override
    public void onPong(String pattern) {
      lastPongMillis = System.currentTimeMillis();
    }
  }

  private void watch() {
    PubSub current = pubSub;
    if (current == null || !subscribed) {
      return;
    }
    if (System.currentTimeMillis() - lastPongMillis > DEAD_AFTER_MILLIS) {
      LOG.warning("Redis subscription silent for " + DEAD_AFTER_MILLIS + " ms; reconnecting");
      cut();
      return;
    }
    try {
      synchronized (writes) {
        current.ping();
      }
    } catch (RuntimeException e) {
      cut();
    }
  }

  /** Closes the socket under the blocked subscribe, which makes the thread reconnect. */
  void cut() {
    Jedis current = connection;
    if (current != null) {
      try {
        current.disconnect();
      } catch (RuntimeException e) {
        LOG.fine(() -> "Disconnecting the subscriber failed: " + e);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    watchdog.cancel(false);
    cut();
    thread.interrupt();
  }
}
