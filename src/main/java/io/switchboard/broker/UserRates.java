package io.switchboard.broker;

/**
 * The per-user rate limit: one token bucket per user, shared by all of that user's connections (on
 * this node in memory; on every node with Redis).
 *
 * <p>Implementations: {@link InMemoryUserRates} and the Redis one. When the shared store cannot be
 * reached, the Redis one lets frames pass (the per-connection bucket still applies) rather than
 * refusing every user.
 */
public interface UserRates {

  /** Takes a token: 0 when the frame may pass, else the milliseconds until one will be there. */
  long take(String userId);
}
