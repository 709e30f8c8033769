package io.switchboard.chat.entity;

/** A client frame that cannot be served; becomes an {@code error} frame, never a close. */
public class FrameException extends RuntimeException {

  private final ErrorCode code;
  private final String frameId;

  public FrameException(ErrorCode code, String message, String frameId) {
    super(message, null, false, false);
    this.code = code;
    this.frameId = frameId;
  }

  public ErrorCode code() {
    return code;
  }

  /** The id of the frame that caused it, when it had one. */
  public String frameId() {
    return frameId;
  }
}
