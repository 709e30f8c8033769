package io.switchboard.chat.control;

import io.switchboard.broker.Broker;
import io.switchboard.broker.ChatDraft;
import io.switchboard.broker.ChatMessage;
import io.switchboard.broker.Presence;
import io.switchboard.broker.RoomLog;
import io.switchboard.broker.RoomSummary;
import io.switchboard.chat.entity.HttpFrames;
import io.switchboard.chat.entity.ServerFrames;
import io.switchboard.config.Settings;
import io.switchboard.platform.ApiException;
import io.switchboard.platform.Json;
import io.switchboard.security.Caller;
import io.switchboard.security.Names;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.container.AsyncResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The rooms API: listing, history pages with long polling, and server-side publishing. */
@ApplicationScoped
public class RoomQueries {

  @Inject Broker broker;
  @Inject Presence presence;
  @Inject Rooms rooms;
  @Inject Settings settings;
  @Inject Publisher publisher;

  public static String validRoom(String room) {
    if (!Names.isRoom(room)) {
      throw ApiException.badRequest("Room names match [A-Za-z0-9_.-]{1,64}");
    }
    return room;
  }

  /** Rooms with members or history, cluster-wide, by name: those {@code visible} lets through. */
  public List<HttpFrames.RoomEntry> rooms(Predicate<String> visible) {
    Map<String, long[]> byRoom = new TreeMap<>();
    for (RoomSummary summary : broker.rooms()) {
      byRoom.computeIfAbsent(summary.room(), r -> new long[2])[1] = summary.latestOffset();
    }
    presence
        .memberCounts()
        .forEach((room, count) -> byRoom.computeIfAbsent(room, r -> new long[2])[0] = count);
    List<HttpFrames.RoomEntry> out = new ArrayList<>(byRoom.size());
    byRoom.forEach(
        (room, v) -> {
          if (visible.test(room)) {
            out.add(new HttpFrames.RoomEntry(room, (int) v[0], v[1]));
          }
        });
    out.sort(Comparator.comparing(HttpFrames.RoomEntry::room));
    return out;
  }

  /** A page of history; with {@code wait}, held until a message arrives or the wait ends. */
  public void page(String room, Long since, int limit, int waitSeconds, AsyncResponse response) {
    HttpFrames.MessagePage page = read(room, since, limit);
    if (!page.messages().isEmpty() || waitSeconds == 0) {
      response.resume(Json.get().write(page));
      return;
    }
    CompletableFuture<Void> next = rooms.awaitMessage(room);
    Runnable answer =
        () -> {
          rooms.stopWaiting(room, next);
          try {
            response.resume(Json.get().write(read(room, since, limit)));
          } catch (RuntimeException e) {
            response.resume(e);
          }
        };
    // A message may have arrived between the first read and the registration.
    HttpFrames.MessagePage again = read(room, since, limit);
    if (!again.messages().isEmpty()) {
      rooms.stopWaiting(room, next);
      response.resume(Json.get().write(again));
      return;
    }
    response.setTimeout(waitSeconds, TimeUnit.SECONDS);
    response.setTimeoutHandler(r -> answer.run());
    response.register(
        (jakarta.ws.rs.container.CompletionCallback) t -> rooms.stopWaiting(room, next));
    next.thenRun(answer);
  }

  /** The most stored bytes of messages one page of the HTTP API carries (a page may hold fewer). */
  static final int PAGE_BYTES = 1024 * 1024;

  HttpFrames.MessagePage read(String room, Long since, int limit) {
    RoomLog log =
        since == null
            ? broker.tail(room, limit, PAGE_BYTES)
            : broker.read(room, since, limit, PAGE_BYTES);
    List<ServerFrames.Chat> messages = new ArrayList<>(log.messages().size());
    for (ChatMessage m : log.messages()) {
      messages.add(ServerFrames.Chat.of(m));
    }
    long next;
    if (!messages.isEmpty()) {
      next = messages.get(messages.size() - 1).offset();
    } else {
      next = since != null ? since : log.latestOffset();
    }
    return new HttpFrames.MessagePage(room, log.epoch(), messages, next);
  }

  /**
   * Publishes {@code {"message","user"?}} into the room as a server-side sender: its userId is the
   * name with the {@link Caller#SERVER_SENDER_PREFIX}, which no connected user's id can have.
   *
   * @param idempotencyKey the request's {@code Idempotency-Key} as a dedup key of the caller's (a
   *     repeat within the window answers the original offset), or null
   */
  public long publish(String room, JsonObject body, String idempotencyKey) {
    JsonValue message = body.get("message");
    if (!(message instanceof JsonString text) || !FrameReader.isWellFormed(text.getString())) {
      throw ApiException.badRequest("'message' must be a string of valid Unicode");
    }
    String value = text.getString();
    int codePoints = value.codePointCount(0, value.length());
    if (codePoints < 1
        || codePoints > FrameReader.MAX_MESSAGE_CODE_POINTS
        || FrameReader.isBlank(value)) {
      throw ApiException.badRequest(
          "'message' must be 1 to "
              + FrameReader.MAX_MESSAGE_CODE_POINTS
              + " characters, not only white space");
    }
    String user = "system";
    JsonValue given = body.get("user");
    if (given != null && given != JsonValue.NULL) {
      try {
        user =
            given instanceof JsonString s
                ? Names.displayName(s.getString()).orElse("system")
                : invalidUser();
      } catch (IllegalArgumentException e) {
        invalidUser();
      }
    }
    String id = publisher.newId();
    ChatDraft draft =
        new ChatDraft(
            room,
            id,
            user,
            Caller.SERVER_SENDER_PREFIX + user,
            value,
            idempotencyKey != null ? idempotencyKey : "s:" + id);
    return publisher.publishAndWait(draft).offset();
  }

  private static String invalidUser() {
    throw ApiException.badRequest("'user' must be a name of 1 to 32 printable characters");
  }
}
