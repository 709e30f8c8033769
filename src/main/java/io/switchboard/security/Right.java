package io.switchboard.security;

/**
 * What an HTTP API method needs from its caller. Every resource method declares one with {@link
 * io.switchboard.security.boundary.Requires}; a method that declares none is refused.
 */
public enum Right {
  /**
   * Reading: in token mode a valid user token (header, or {@code ?token=}/{@code ?ticket=}) or the
   * API key; in guest mode nothing.
   */
  READ,

  /**
   * Publishing: the API key, or in token mode a token with the {@code publisher} role; in guest
   * mode without an API key nothing (a demo).
   */
  PUBLISH,

  /** Being a user: in token mode a user token in the Authorization header (tickets). */
  USER
}
