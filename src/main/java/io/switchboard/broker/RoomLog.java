package io.switchboard.broker;

import java.util.List;

/**
 * A consistent view of one room's history: its epoch, its latest offset and a slice of the kept
 * messages, oldest first.
 *
 * @param oldestOffset the offset of the oldest message still kept, or {@code latestOffset + 1} when
 *     nothing is kept
 */
public record RoomLog(
    String room, String epoch, long latestOffset, long oldestOffset, List<ChatMessage> messages) {

  public RoomLog {
    messages = List.copyOf(messages);
  }

  /** Whether every message after {@code offset} is still in history. */
  public boolean covers(long offset) {
    return offset >= 0 && offset <= latestOffset && offset + 1 >= oldestOffset;
  }
}
