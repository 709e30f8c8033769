package io.switchboard.chat.boundary;

import io.switchboard.chat.control.RoomQueries;
import io.switchboard.chat.entity.HttpFrames;
import io.switchboard.platform.ApiException;
import io.switchboard.platform.Json;
import io.switchboard.platform.QueryParams;
import io.switchboard.platform.RequestBodies;
import io.switchboard.security.Identity;
import io.switchboard.security.boundary.ApiSecurity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/** {@code /api/rooms}: list rooms, read and long-poll history, publish as a server-side sender. */
@Path("rooms")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class RoomsResource {

  static final int MAX_WAIT_SECONDS = 30;

  @Inject RoomQueries queries;

  @GET
  public String rooms() {
    return Json.get().write(queries.rooms());
  }

  @GET
  @Path("{room}/messages")
  public void messages(
      @PathParam("room") String room,
      @QueryParam("since") String since,
      @QueryParam("limit") String limit,
      @QueryParam("wait") String wait,
      @Context ContainerRequestContext request,
      @Suspended AsyncResponse response) {
    String valid = RoomQueries.validRoom(room);
    if (request.getProperty(ApiSecurity.IDENTITY) instanceof Identity identity
        && !identity.mayJoin(valid)) {
      throw new ApiException(403, "forbidden", "Your token does not grant this room");
    }
    queries.page(
        valid,
        QueryParams.nonNegative("since", since),
        QueryParams.bounded("limit", limit, 50, 1, 500),
        QueryParams.bounded("wait", wait, 0, 0, MAX_WAIT_SECONDS),
        response);
  }

  @POST
  @Path("{room}/messages")
  public Response publish(@PathParam("room") String room, InputStream body) {
    long offset = queries.publish(RoomQueries.validRoom(room), RequestBodies.jsonObject(body));
    return Response.accepted(Json.get().write(new HttpFrames.Offset(offset))).build();
  }
}
