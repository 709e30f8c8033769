package io.switchboard.chat.entity;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/** The bodies of the rooms API. */
public final class HttpFrames {

  private HttpFrames() {}

  @JsonbPropertyOrder({"room", "members", "offset"})
  public record RoomEntry(String room, int members, long offset) {}

  @JsonbPropertyOrder({"room", "epoch", "messages", "next"})
  public record MessagePage(
      String room, String epoch, List<ServerFrames.Chat> messages, long next) {}

  public record Offset(long offset) {}

  /** The answer to a user's disconnect: how many nodes were told. */
  @JsonbPropertyOrder({"userId", "nodes"})
  public record Disconnected(String userId, long nodes) {}

  /** The answer to a member's removal. */
  @JsonbPropertyOrder({"room", "userId", "banSeconds", "nodes"})
  public record Removed(String room, String userId, long banSeconds, long nodes) {}
}
