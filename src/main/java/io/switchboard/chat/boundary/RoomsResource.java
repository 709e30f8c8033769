package io.switchboard.chat.boundary;

import io.switchboard.broker.Bans;
import io.switchboard.broker.Broker;
import io.switchboard.broker.Command;
import io.switchboard.chat.control.RoomQueries;
import io.switchboard.chat.entity.HttpFrames;
import io.switchboard.platform.ApiException;
import io.switchboard.platform.Json;
import io.switchboard.platform.QueryParams;
import io.switchboard.platform.RequestBodies;
import io.switchboard.security.Caller;
import io.switchboard.security.Right;
import io.switchboard.security.boundary.ApiAccess;
import io.switchboard.security.boundary.Requires;
import io.switchboard.security.control.PublishRates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * {@code /api/rooms}: list rooms, read and long-poll history, publish as a server-side sender, and
 * take a member out.
 */
@Path("rooms")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class RoomsResource {

  static final int MAX_WAIT_SECONDS = 30;

  /** A year: a longer ban is a decision for the application (it can refuse joins by token). */
  static final int MAX_BAN_SECONDS = 365 * 24 * 3600;

  @Inject RoomQueries queries;
  @Inject PublishRates rates;
  @Inject Broker broker;
  @Inject Bans bans;

  @GET
  @Requires(Right.READ)
  public String rooms(@Context HttpServletRequest request) {
    return Json.get().write(queries.rooms(ApiAccess.caller(request)::mayUseRoom));
  }

  @GET
  @Path("{room}/messages")
  @Requires(Right.READ)
  public void messages(
      @PathParam("room") String room,
      @QueryParam("since") String since,
      @QueryParam("limit") String limit,
      @QueryParam("wait") String wait,
      @Context HttpServletRequest request,
      @Suspended AsyncResponse response) {
    String valid = permitted(RoomQueries.validRoom(room), ApiAccess.caller(request));
    queries.page(
        valid,
        QueryParams.nonNegative("since", since),
        QueryParams.bounded("limit", limit, 50, 1, 500),
        QueryParams.bounded("wait", wait, 0, 0, MAX_WAIT_SECONDS),
        response);
  }

  @POST
  @Path("{room}/messages")
  @Requires(Right.PUBLISH)
  public Response publish(
      @PathParam("room") String room,
      @HeaderParam("Content-Type") String contentType,
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      @Context HttpServletRequest request,
      InputStream body) {
    Caller caller = ApiAccess.caller(request);
    String valid = permitted(RoomQueries.validRoom(room), caller);
    String dedupKey = rates.idempotencyKey(caller, request, idempotencyKey);
    rates.charge(caller, request);
    long offset = queries.publish(valid, RequestBodies.jsonObject(contentType, body), dedupKey);
    return Response.accepted(Json.get().write(new HttpFrames.Offset(offset))).build();
  }

  /**
   * Takes the user out of the room on every node; with {@code banSeconds}, its joins of the room
   * are refused until then. The ban is stored before the removal is sent, so a member that rejoins
   * at once is refused.
   */
  @DELETE
  @Path("{room}/members/{userId}")
  @Produces(MediaType.APPLICATION_JSON)
  @Requires(Right.PUBLISH)
  public Response remove(
      @PathParam("room") String room,
      @PathParam("userId") String userId,
      @QueryParam("banSeconds") String banSeconds,
      @Context HttpServletRequest request) {
    Caller caller = ApiAccess.caller(request);
    String valid = permitted(RoomQueries.validRoom(room), caller);
    UsersResource.checkUserId(userId);
    long ban = QueryParams.bounded("banSeconds", banSeconds, 0, 0, MAX_BAN_SECONDS);
    rates.charge(caller, request);
    if (banSeconds != null && !banSeconds.isEmpty()) {
      // 0 lifts an earlier ban (an end in the past is none)
      bans.ban(valid, userId, ban > 0 ? System.currentTimeMillis() + ban * 1000 : 0);
    }
    long reached = broker.command(Command.remove(valid, userId));
    return Response.accepted(Json.get().write(new HttpFrames.Removed(valid, userId, ban, reached)))
        .build();
  }

  /** A token's {@code rooms} claim applies to every room call, publishers' included. */
  private static String permitted(String room, Caller caller) {
    if (!caller.mayUseRoom(room)) {
      throw new ApiException(403, "forbidden", "Your token does not grant this room");
    }
    return room;
  }
}
