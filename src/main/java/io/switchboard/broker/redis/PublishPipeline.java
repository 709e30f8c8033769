package io.switchboard.broker.redis;

import io.switchboard.broker.BrokerUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Runs one Lua script per queued call, many calls per round trip: one thread takes what is queued
 * (up to {@link #MAX_BATCH}) and sends it as one Redis pipeline. Calls run in the order they were
 * queued (one connection, one pipeline at a time), so a sender's messages keep their order, and a
 * burst of messages costs one round trip instead of one each.
 *
 * <p>The queue is bounded: when Redis cannot keep up, or is gone, callers are told at once ({@link
 * BrokerUnavailableException}) instead of piling up.
 *
 * <p>A call is answered only when its outcome is known. When a pipeline's round trip fails (a reply
 * timed out, the connection broke), some of its scripts may have run: the batch is sent again (each
 * call that was marked repeatable carries a dedup key, so a script that ran answers its original
 * offset instead of storing twice), until Redis answers or {@link #RESOLVE_MILLIS} pass; only then
 * is the rest told "unavailable", and its senders may retry with the same id.
 */
final class PublishPipeline implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PublishPipeline.class.getName());

  static final int MAX_BATCH = 256;
  static final int MAX_QUEUED = 10_000;

  /** How long a batch whose outcome was lost is sent again before its calls are unavailable. */
  static final long RESOLVE_MILLIS = 10_000;

  /**
   * One queued script call.
   *
   * @param repeatable whether running it twice does what running it once does (a dedup key)
   */
  record Call(
      List<String> keys, List<String> args, boolean repeatable, CompletableFuture<Object> reply) {}

  private final RedisStore store;
  private final String script;
  private final BlockingQueue<Call> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
  private final Thread thread;
  private volatile boolean running = true;

  PublishPipeline(RedisStore store, String script, ThreadFactory threads) {
    this.store = store;
    this.script = script;
    this.thread = threads.newThread(this::run);
    thread.setName("switchboard-redis-publish");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues a call of the script; the future fails with "unavailable" when it cannot run.
   *
   * @param repeatable whether the call may be sent again when its outcome was lost
   */
  CompletableFuture<Object> call(List<String> keys, List<String> args, boolean repeatable) {
    Call call = new Call(keys, args, repeatable, new CompletableFuture<>());
    if (!running || !queue.offer(call)) {
      call.reply.completeExceptionally(
          new BrokerUnavailableException(
              running ? "too many messages are waiting for Redis" : "shutting down",
              RedisStore.RETRY_AFTER_MS,
              null));
    }
    return call.reply;
  }

  private void run() {
    List<Call> batch = new ArrayList<>(MAX_BATCH);
    while (running || !queue.isEmpty()) {
      try {
        Call first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        send(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      } catch (RuntimeException e) {
        batch.forEach(c -> c.reply.completeExceptionally(e));
      } finally {
        batch.clear();
      }
    }
    failQueued("shutting down");
  }

  private void send(List<Call> batch) {
    List<Object> replies = null;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RESOLVE_MILLIS);
    long backoff = 100;
    boolean sent = false;
    while (replies == null) {
      try {
        replies = store.call(jedis -> pipeline(jedis, batch));
      } catch (BrokerUnavailableException e) {
        sent |= !(e instanceof RedisStore.NotSent);
        boolean repeatable = batch.stream().allMatch(Call::repeatable);
        if (!sent || !repeatable || !running || System.nanoTime() > deadline) {
          // Never sent: nothing ran, and the senders may retry. Or its outcome stays unknown: the
          // senders retry with the same ids, which answers the original offsets if it ran.
          batch.forEach(c -> c.reply.completeExceptionally(e));
          return;
        }
        if (e instanceof RedisStore.NotSent) {
          // Redis cannot even be reached: the calls queued behind this batch are told at once
          // (none of them was sent; a sender's later message then never overtakes an earlier one
          // whose outcome is still unknown). A stall keeps them waiting, as it may end any moment.
          failQueued("Redis is unreachable");
        }
        try {
          Thread.sleep(backoff); // Redis stalls, or the connection broke: ask again
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          batch.forEach(c -> c.reply.completeExceptionally(e));
          return;
        }
        backoff = Math.min(1000, backoff * 2);
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      Object reply = replies.get(i);
      if (reply instanceof RuntimeException e) {
        batch.get(i).reply.completeExceptionally(e);
      } else {
        batch.get(i).reply.complete(reply);
        store.accepting();
      }
    }
  }

  /** Sends the batch as one pipeline; a call's reply, or the error Redis answered to it. */
  private List<Object> pipeline(Jedis jedis, List<Call> batch) {
    String sha = store.sha(jedis, script);
    Pipeline pipeline = jedis.pipelined();
    List<Response<Object>> responses = new ArrayList<>(batch.size());
    for (Call call : batch) {
      responses.add(pipeline.evalsha(sha, call.keys(), call.args()));
    }
    pipeline.sync();
    List<Object> replies = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      try {
        replies.add(responses.get(i).get());
      } catch (JedisDataException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
          // Redis restarted and lost its scripts: this call did not run; run it on its own.
          Call call = batch.get(i);
          replies.add(store.eval(jedis, script, call.keys(), call.args()));
        } else {
          replies.add(store.translate(e)); // out of memory: unavailable, not a failure
        }
      }
    }
    return replies;
  }

  private void failQueued(String why) {
    List<Call> left = new ArrayList<>();
    queue.drainTo(left);
    BrokerUnavailableException e =
        new BrokerUnavailableException(why, RedisStore.RETRY_AFTER_MS, null);
    left.forEach(c -> c.reply.completeExceptionally(e));
  }

  /** Stops taking calls; what is queued is still sent (bounded by Redis's timeout). */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warning("Redis publishing did not finish in 5 s");
      thread.interrupt();
    }
    failQueued("shutting down");
  }
}
