package io.switchboard.chat.control;

import static io.switchboard.platform.QueryString.first;

import io.switchboard.chat.entity.ErrorCode;
import io.switchboard.chat.entity.FrameException;
import java.util.List;
import java.util.Map;

/**
 * The automatic join's parameters on {@code /ws/chat/{room}?since=41&epoch=e1f3&history=20},
 * validated like the fields of a {@code join} frame.
 */
final class QueryJoin {

  private QueryJoin() {}

  static Long since(Map<String, List<String>> query) {
    return number(query, "since");
  }

  static Integer history(Map<String, List<String>> query) {
    Long history = number(query, "history");
    return history == null ? null : (int) Math.min(history, FrameReader.MAX_HISTORY);
  }

  static String epoch(Map<String, List<String>> query) {
    String epoch = first(query, "epoch");
    if (epoch == null || epoch.isEmpty()) {
      return null;
    }
    if (epoch.length() > 64) {
      throw new FrameException(ErrorCode.BAD_REQUEST, "'epoch' is too long", null);
    }
    return epoch;
  }

  private static Long number(Map<String, List<String>> query, String name) {
    String raw = first(query, name);
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    if (!raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new FrameException(
          ErrorCode.BAD_REQUEST, "'" + name + "' must be a non-negative integer", null);
    }
    return raw.length() > 18 ? Long.MAX_VALUE : Long.parseLong(raw);
  }
}
