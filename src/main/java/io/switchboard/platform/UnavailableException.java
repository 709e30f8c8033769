package io.switchboard.platform;

/**
 * A service this node depends on cannot do its part right now: the caller tells its client to try
 * again after {@link #retryAfterMs()} (HTTP 503 with {@code Retry-After}), never that it succeeded.
 */
public class UnavailableException extends RuntimeException {

  private final long retryAfterMs;

  public UnavailableException(String message, long retryAfterMs, Throwable cause) {
    super(message, cause);
    this.retryAfterMs = retryAfterMs;
  }

  public long retryAfterMs() {
    return retryAfterMs;
  }
}
