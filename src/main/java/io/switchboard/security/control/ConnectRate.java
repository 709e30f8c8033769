package io.switchboard.security.control;

import io.switchboard.config.Settings;
import io.switchboard.platform.ApiException;
import io.switchboard.platform.TokenBucket;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * The node's rate of new connections (WebSocket handshakes and event streams together), {@code
 * switchboard.limits.connect-rate} per second with a burst of twice that. Past it a handshake is
 * answered 503 with {@code Retry-After} before any other work, so that a reconnect storm (every
 * client of a lost node arriving at once) becomes a queue of clients retrying with their backoff
 * instead of a node too busy to finish any handshake.
 */
@ApplicationScoped
public class ConnectRate {

  @Inject Settings settings;

  private TokenBucket bucket;

  @PostConstruct
  void start() {
    int rate = settings.limits().connectRate();
    bucket = rate > 0 ? new TokenBucket(rate, 2 * rate, System::nanoTime) : null;
  }

  /**
   * Admits one new connection.
   *
   * @throws ApiException 503 {@code unavailable} with {@code Retry-After} past the rate
   */
  public void admit() {
    if (bucket == null) {
      return;
    }
    long wait = bucket.tryTake();
    if (wait > 0) {
      throw new ApiException(
          503,
          "unavailable",
          "This node is opening too many connections at once; retry after Retry-After",
          Map.of("Retry-After", Long.toString(Math.max(1, (wait + 999) / 1000))));
    }
  }
}
