package io.switchboard.broker;

import io.switchboard.platform.UnavailableException;

/**
 * The broker cannot store or publish right now (for example Redis is unreachable). Nothing was
 * stored and nothing will be delivered: the caller must tell its client, never acknowledge.
 */
public class BrokerUnavailableException extends UnavailableException {

  public BrokerUnavailableException(String message, long retryAfterMs, Throwable cause) {
    super(message, retryAfterMs, cause);
  }
}
