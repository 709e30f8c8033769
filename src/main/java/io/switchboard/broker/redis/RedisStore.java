package io.switchboard.broker.redis;

import io.switchboard.broker.BrokerUnavailableException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The commands side of Redis: a connection pool, Lua scripts run by their SHA, and the translation
 * of connection failures into {@link BrokerUnavailableException}. Tracks whether Redis answered
 * lately, and logs one line when it is lost and one when it is back.
 */
public final class RedisStore implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RedisStore.class.getName());
  static final long RETRY_AFTER_MS = 1000;
  static final int TIMEOUT_MS = 2000;

  private final URI uri;
  private final JedisPool pool;
  private final ConcurrentHashMap<String, String> shas = new ConcurrentHashMap<>();
  private volatile boolean reachable = true;

  public RedisStore(URI uri) {
    this.uri = uri;
    GenericObjectPoolConfig<Jedis> config = new GenericObjectPoolConfig<>();
    config.setMaxTotal(64);
    config.setMaxIdle(16);
    config.setMinIdle(2);
    config.setMaxWait(java.time.Duration.ofMillis(TIMEOUT_MS));
    config.setTestWhileIdle(true);
    config.setJmxEnabled(false);
    this.pool = new JedisPool(config, uri, TIMEOUT_MS);
  }

  /** Where Redis is, without the password, for logs. */
  public String describe() {
    return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
  }

  URI uri() {
    return uri;
  }

  /** Runs commands on a pooled connection; connection trouble becomes "unavailable". */
  public <T> T call(Function<Jedis, T> commands) {
    try (Jedis jedis = pool.getResource()) {
      T result = commands.apply(jedis);
      markReachable(true, null);
      return result;
    } catch (JedisDataException e) {
      throw e; // a script or command error is a bug, not an outage
    } catch (JedisException e) {
      markReachable(false, e);
      throw new BrokerUnavailableException("Redis is unreachable", RETRY_AFTER_MS, e);
    }
  }

  /** The SHA of a Lua script, loaded into Redis on first use. */
  String sha(Jedis jedis, String script) {
    return shas.computeIfAbsent(script, s -> jedis.scriptLoad(s));
  }

  /** Runs a Lua script by SHA, loading it on first use and after a Redis restart. */
  public Object eval(Jedis jedis, String script, List<String> keys, List<String> args) {
    String sha = sha(jedis, script);
    try {
      return jedis.evalsha(sha, keys, args);
    } catch (JedisDataException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
        shas.put(script, jedis.scriptLoad(script));
        return jedis.evalsha(shas.get(script), keys, args);
      }
      throw e;
    }
  }

  /** Whether the last command reached Redis. */
  public boolean isReachable() {
    return reachable;
  }

  /** Asks Redis now (readiness). */
  public boolean ping() {
    try {
      return call(j -> "PONG".equals(j.ping()));
    } catch (BrokerUnavailableException e) {
      return false;
    }
  }

  void markReachable(boolean now, Exception cause) {
    if (reachable != now) {
      reachable = now;
      if (now) {
        LOG.info("Redis is reachable again at " + describe());
      } else {
        LOG.warning("Redis is unreachable at " + describe() + ": " + rootMessage(cause));
      }
    }
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root != null && root.getCause() != null) {
      root = root.getCause();
    }
    return root == null ? "unknown" : root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  static boolean isConnectionFailure(Throwable e) {
    return e instanceof JedisConnectionException;
  }

  static String text(Object reply) {
    if (reply == null) {
      return null;
    }
    return reply instanceof byte[] bytes
        ? new String(bytes, StandardCharsets.UTF_8)
        : reply.toString();
  }

  @Override
  public void close() {
    pool.close();
  }
}
