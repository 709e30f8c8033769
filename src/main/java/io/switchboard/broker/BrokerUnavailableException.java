package io.switchboard.broker;

/**
 * The broker cannot store or publish right now (for example Redis is unreachable). Nothing was
 * stored and nothing will be delivered: the caller must tell its client, never acknowledge.
 */
public class BrokerUnavailableException extends RuntimeException {

  private final long retryAfterMs;

  public BrokerUnavailableException(String message, long retryAfterMs, Throwable cause) {
    super(message, cause);
    this.retryAfterMs = retryAfterMs;
  }

  public long retryAfterMs() {
    return retryAfterMs;
  }
}
