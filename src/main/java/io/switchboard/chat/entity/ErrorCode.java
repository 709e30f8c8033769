package io.switchboard.chat.entity;

/** The {@code code} of an {@code error} frame. */
public enum ErrorCode {
  BAD_REQUEST("bad_request"),
  NOT_JOINED("not_joined"),
  FORBIDDEN("forbidden"),
  RATE_LIMITED("rate_limited"),
  LIMIT_EXCEEDED("limit_exceeded"),
  UNAVAILABLE("unavailable"),
  INVALID_TOKEN("invalid_token"),
  INTERNAL("internal");

  private final String wire;

  ErrorCode(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
