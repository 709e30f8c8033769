package io.switchboard.security;

/** A client refused at the handshake, and why (the endpoint turns it into its close code). */
public class Rejection extends Exception {

  /** Why a client was refused. */
  public enum Reason {
    /** The name (or the token's subject) is not a valid user name, or is reserved. */
    INVALID_USER("Invalid user"),
    /** Token mode, and no credential was given. */
    AUTHENTICATION_REQUIRED("Authentication required"),
    /** A credential was given and is not valid (signature, expiry, claims, a used ticket). */
    INVALID_TOKEN("Invalid token"),
    /**
     * The credential cannot be checked now (the identity provider's keys cannot be had); no verdict
     * on it: HTTP 503 and retry, never 401.
     */
    UNAVAILABLE("Try again later");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  private final Reason reason;

  public Rejection(Reason reason) {
    super(reason.text(), null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
