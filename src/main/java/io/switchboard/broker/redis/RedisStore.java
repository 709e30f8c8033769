package io.switchboard.broker.redis;

import io.switchboard.broker.BrokerUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The commands side of Redis: a connection pool, Lua scripts run by their SHA, and the translation
 * of connection failures into {@link BrokerUnavailableException}. Tracks whether Redis answered
 * lately, and logs one line when it is lost and one when it is back.
 *
 * <p>{@code rediss://} connects with TLS and verifies that the server's certificate names the host
 * of the URL (Jedis does not by default), against the JVM's trust store or the one given. Redis
 * answering that it cannot take a write now (out of memory, a read-only replica after a failover,
 * loading its data) is unavailable, as an outage is: logged once when it starts and once when it
 * ends, never a stack trace per call.
 */
public final class RedisStore implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RedisStore.class.getName());
  static final long RETRY_AFTER_MS = 1000;
  static final int TIMEOUT_MS = 2000;

  /** Errors with which Redis refuses a command for now, not for good. */
  private static final List<String> TRANSIENT =
      List.of("OOM", "READONLY", "LOADING", "BUSY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN");

  private final URI uri;
  private final HostAndPort address;
  private final JedisClientConfig commands;
  private final JedisClientConfig subscriptions;
  private final JedisPool pool;
  private final ConcurrentHashMap<String, String> shas = new ConcurrentHashMap<>();
  private volatile boolean reachable = true;
  private volatile String refusing;

  /** While Redis is known to be unreachable, calls fail at once until then (nanoTime). */
  private volatile long failFastUntil;

  /** How long after a failure calls fail at once instead of each waiting for its timeout. */
  static final long FAIL_FAST_MILLIS = 500;

  /** Every pooled connection is in use: Redis answers, but this node asks more than it serves. */
  static final String BUSY = "Redis is busy";

  /**
   * A trust store for {@code rediss://} (a private CA's certificate), or none: the JVM's.
   *
   * @param path a PKCS12 or JKS file
   */
  public record TrustStore(Path path, char[] password) {}

  public RedisStore(URI uri) {
    this(uri, null);
  }

  public RedisStore(URI uri, TrustStore trustStore) {
    this.uri = uri;
    this.address = JedisURIHelper.getHostAndPort(uri);
    boolean tls = JedisURIHelper.isRedisSSLScheme(uri);
    this.commands = clientConfig(uri, tls, trustStore, TIMEOUT_MS);
    this.subscriptions = clientConfig(uri, tls, trustStore, 0); // a subscription blocks
    GenericObjectPoolConfig<Jedis> config = new GenericObjectPoolConfig<>();
    config.setMaxTotal(64);
    config.setMaxIdle(16);
    config.setMinIdle(2);
    config.setMaxWait(java.time.Duration.ofMillis(TIMEOUT_MS));
    config.setTestWhileIdle(true);
    // Idle connections beyond the minimum are closed after a minute (a burst's extra connections
    // do not stay open against Redis forever).
    config.setTimeBetweenEvictionRuns(java.time.Duration.ofSeconds(30));
    config.setMinEvictableIdleDuration(java.time.Duration.ofSeconds(60));
    config.setJmxEnabled(false);
    this.pool = new JedisPool(config, address, commands);
  }

  private static JedisClientConfig clientConfig(
      URI uri, boolean tls, TrustStore trustStore, int socketTimeoutMillis) {
    DefaultJedisClientConfig.Builder builder =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(TIMEOUT_MS)
            .socketTimeoutMillis(socketTimeoutMillis)
            .user(JedisURIHelper.getUser(uri))
            .password(JedisURIHelper.getPassword(uri))
            .database(JedisURIHelper.getDBIndex(uri))
            .ssl(tls);
    if (tls) {
      SSLParameters parameters = new SSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
      builder.sslParameters(parameters).sslSocketFactory(socketFactory(trustStore));
    }
    return builder.build();
  }

  private static SSLSocketFactory socketFactory(TrustStore trustStore) {
    if (trustStore == null) {
      return (SSLSocketFactory) SSLSocketFactory.getDefault();
    }
    try (InputStream in = Files.newInputStream(trustStore.path())) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(in, trustStore.password());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "Cannot read the Redis trust store " + trustStore.path() + ": " + e.getMessage(), e);
    }
  }

  /** A new connection for a subscription (no read timeout), with the pool's settings. */
  Jedis subscriber() {
    return new Jedis(address, subscriptions);
  }

  /** Where Redis is, without the password, for logs. */
  public String describe() {
    return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
  }

  URI uri() {
    return uri;
  }

  /**
   * Runs commands on a pooled connection; connection trouble, and Redis refusing writes for now
   * (see {@link #translate}), become "unavailable".
   */
  public <T> T call(Function<Jedis, T> commands) {
    if (!reachable && System.nanoTime() < failFastUntil) {
      // Known to be down: no request thread waits 2 s for each call (readiness probes it).
      throw new NotSent("Redis is unreachable", null);
    }
    return attempt(commands);
  }

  private <T> T attempt(Function<Jedis, T> commands) {
    Jedis connection;
    try {
      connection = pool.getResource();
    } catch (JedisException e) {
      if (e.getCause() instanceof java.util.NoSuchElementException) {
        // Every pooled connection is busy: Redis is slow or this node is loaded, not gone.
        throw new NotSent(BUSY, e);
      }
      markReachable(false, e);
      // No connection can be had: until a retry, calls fail at once instead of each waiting.
      failFastUntil = System.nanoTime() + FAIL_FAST_MILLIS * 1_000_000;
      throw new NotSent("Redis is unreachable", e);
    }
    try (Jedis jedis = connection) {
      T result = commands.apply(jedis);
      markReachable(true, null);
      return result;
    } catch (JedisDataException e) {
      throw translate(e);
    } catch (JedisException e) {
      markReachable(false, e);
      // Sent, perhaps run: only Redis knows (a timed-out reply, a connection broken mid-call).
      throw new BrokerUnavailableException("Redis is unreachable", RETRY_AFTER_MS, e);
    }
  }

  /** Nothing was sent to Redis (it is known to be down, or no connection could be had). */
  static final class NotSent extends BrokerUnavailableException {
    NotSent(String message, Throwable cause) {
      super(message, RETRY_AFTER_MS, cause);
    }
  }

  /**
   * What a command error means: {@link BrokerUnavailableException} when Redis refuses for now (out
   * of memory, read-only, loading, busy), logged once until Redis accepts again; otherwise the
   * error itself (a script or command error is a bug, not an outage).
   */
  RuntimeException translate(JedisDataException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    for (String code : TRANSIENT) {
      if (message.startsWith(code + " ") || message.contains(" " + code + " ")) {
        if (refusing == null) {
          refusing = code;
          LOG.warning("Redis at " + describe() + " refuses writes for now: " + message);
        }
        return new BrokerUnavailableException("Redis refuses writes: " + code, RETRY_AFTER_MS, e);
      }
    }
    return e;
  }

  /** A write succeeded: if Redis was refusing writes, it accepts them again. */
  void accepting() {
    if (refusing != null) {
      refusing = null;
      LOG.info("Redis at " + describe() + " accepts writes again");
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
      return attempt(j -> "PONG".equals(j.ping())); // the probe that ends failing fast
    } catch (NotSent e) {
      // Every connection busy with calls that get answers: Redis is there, readiness stays UP.
      return BUSY.equals(e.getMessage()) && reachable;
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
