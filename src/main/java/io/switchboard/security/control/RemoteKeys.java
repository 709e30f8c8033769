package io.switchboard.security.control;

import com.nimbusds.jose.jwk.JWK;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An identity provider's JWKS, fetched over HTTP(S): at start, every {@code refresh}, and when a
 * token names a {@code kid} the set does not have (at most once per {@code minRefresh}, so tokens
 * with made-up key ids cannot make the node hammer the provider). When the provider cannot be
 * reached, or answers something that is not a usable key set, the last good set stays in use. Logs
 * one line when the set is first loaded or changes, one when the provider is lost and one when it
 * is back; never one per token.
 */
public final class RemoteKeys implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RemoteKeys.class.getName());

  /** A key set is small; a provider that answers more is refused, not buffered. */
  static final int MAX_BYTES = 512 * 1024;

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final URI uri;
  private final Duration refresh;
  private final Duration minRefresh;
  private final HttpClient http;
  private final ScheduledExecutorService timer;

  /** The last good set; null until one was loaded. */
  private volatile List<JWK> keys;

  /** Held by the one fetch under way. */
  private final ReentrantLock fetching = new ReentrantLock();

  /**
   * When the last fetch started (nanoTime; guarded by {@link #fetching}), and whether it failed.
   */
  private long lastAttempt;

  private volatile boolean lastFailed;

  public RemoteKeys(URI uri, Duration refresh, Duration minRefresh) {
    this.uri = uri;
    this.refresh = refresh;
    this.minRefresh = minRefresh;
    this.lastAttempt = System.nanoTime() - minRefresh.toNanos(); // the first ask may fetch
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "switchboard-jwks");
              t.setDaemon(true);
              return t;
            });
  }

  /** Fetches once now (waiting at most the timeout), then on schedule. */
  public void start() {
    fetch();
    if (keys == null) {
      timer.schedule(this::retryUnloaded, minRefresh.toMillis(), TimeUnit.MILLISECONDS);
    }
    timer.scheduleWithFixedDelay(
        this::scheduled, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void scheduled() {
    try {
      fetch();
      if (keys == null) {
        // Never loaded: try again sooner than the period (tokens are refused until then).
        timer.schedule(this::retryUnloaded, minRefresh.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "JWKS refresh failed", e);
    }
  }

  private void retryUnloaded() {
    if (keys == null) {
      scheduled();
    }
  }

  /**
   * The set to verify a token with {@code kid} (null: none given). A set that lacks the kid, or no
   * set at all, is fetched again first, unless that was done within {@code minRefresh}.
   *
   * @throws KeysUnavailableException when there is no set, or the kid is unknown and the provider
   *     could not be asked: the token may well be good, so this is no verdict on it
   */
  public List<JWK> keysFor(String kid) {
    List<JWK> current = keys;
    if (current != null && (kid == null || hasKid(current, kid))) {
      return current;
    }
    // One thread fetches; the others of this moment do not wait for its answer (a hanging provider
    // would hold every handshake thread for the timeout): they get no verdict, and retry.
    if (!fetching.tryLock()) {
      throw new KeysUnavailableException("the JWKS at " + uri + " is being fetched");
    }
    try {
      if (System.nanoTime() - lastAttempt >= minRefresh.toNanos()) {
        fetch();
      }
    } finally {
      fetching.unlock();
    }
    current = keys;
    if (current == null) {
      throw new KeysUnavailableException("the JWKS at " + uri + " has not been loaded");
    }
    if (kid != null && !hasKid(current, kid) && lastFailed) {
      throw new KeysUnavailableException("the JWKS at " + uri + " is unreachable");
    }
    return current;
  }

  private static boolean hasKid(List<JWK> keys, String kid) {
    for (JWK key : keys) {
      if (kid.equals(key.getKeyID())) {
        return true;
      }
    }
    return false;
  }

  /** Fetches the set; keeps the last good one when that fails. */
  void fetch() {
    fetching.lock();
    try {
      lastAttempt = System.nanoTime();
      load();
    } finally {
      fetching.unlock();
    }
  }

  private void load() {
    try {
      List<JWK> fetched = PublicKeys.parse(download());
      List<JWK> before = keys;
      keys = List.copyOf(fetched);
      if (lastFailed && before != null) {
        LOG.info("The JWKS at " + uri + " is reachable again");
      }
      lastFailed = false;
      if (before == null || !kids(before).equals(kids(fetched))) {
        LOG.info("Token keys from " + uri + ": " + kids(fetched));
      }
    } catch (IOException | IllegalArgumentException e) {
      if (!lastFailed) {
        LOG.warning(
            "Cannot load the JWKS at "
                + uri
                + ": "
                + e.getMessage()
                + (keys == null
                    ? "; tokens signed by its keys are refused until it loads"
                    : "; the " + keys.size() + " keys loaded before stay in use"));
      }
      lastFailed = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lastFailed = true;
    }
  }

  private String download() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Accept", "application/json, application/jwk-set+json")
            .GET()
            .build();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      byte[] bytes = body.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new IOException("the answer is larger than " + MAX_BYTES + " bytes");
      }
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static List<String> kids(List<JWK> keys) {
    return keys.stream()
        .map(k -> k.getKeyID() == null ? "(no kid)" : k.getKeyID())
        .sorted()
        .toList();
  }

  public String describe() {
    return uri.toString();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** No key set can be had now: the token may be good, so this is no verdict on it. */
  public static final class KeysUnavailableException extends RuntimeException {
    public KeysUnavailableException(String message) {
      super(message, null, false, false);
    }
  }
}
