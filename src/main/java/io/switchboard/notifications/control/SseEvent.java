package io.switchboard.notifications.control;

import java.nio.charset.StandardCharsets;

/**
 * One block of an event stream, encoded once to the UTF-8 bytes every stream writes: an event
 * ({@code id:}, {@code event:}, one {@code data:} line), the opening {@code retry:}, or a comment.
 * Data is one line: Switchboard's JSON never holds a raw line break.
 */
public final class SseEvent {

  /** The first block of every stream: how long a client waits before reconnecting. */
  public static final SseEvent RETRY = new SseEvent("retry: 3000\n\n");

  /** The heartbeat comment. */
  public static final SseEvent PING = new SseEvent(": ping\n\n");

  /** An empty comment, written shortly after a heartbeat to find clients that went away. */
  static final SseEvent PROBE = new SseEvent(":\n\n");

  private final byte[] bytes;

  private SseEvent(String block) {
    this.bytes = block.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * An event: {@code id:} when {@code id} is not null, {@code event:} when {@code name} is not
   * null, then the data.
   */
  public static SseEvent of(String id, String name, String data) {
    StringBuilder block = new StringBuilder(data.length() + 48);
    if (id != null) {
      block.append("id: ").append(id).append('\n');
    }
    if (name != null) {
      block.append("event: ").append(name).append('\n');
    }
    block.append("data: ").append(data).append("\n\n");
    return new SseEvent(block.toString());
  }

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return bytes.length;
  }
}
