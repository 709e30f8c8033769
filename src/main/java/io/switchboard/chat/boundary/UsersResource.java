package io.switchboard.chat.boundary;

import io.switchboard.broker.Broker;
import io.switchboard.broker.Command;
import io.switchboard.chat.entity.HttpFrames;
import io.switchboard.platform.ApiException;
import io.switchboard.platform.Json;
import io.switchboard.platform.RequestBodies;
import io.switchboard.security.Caller;
import io.switchboard.security.Right;
import io.switchboard.security.boundary.ApiAccess;
import io.switchboard.security.boundary.Requires;
import io.switchboard.security.control.PublishRates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.logging.Logger;

/** The server API on users: {@code POST /api/users/{userId}/disconnect}. */
@Path("users")
@ApplicationScoped
public class UsersResource {

  private static final Logger LOG = Logger.getLogger(UsersResource.class.getName());

  /** Longer than any identity provider's subject; a longer id is no user's. */
  static final int MAX_USER_ID = 256;

  static final int MAX_REASON = 200;

  @Inject Broker broker;
  @Inject PublishRates rates;

  /**
   * Closes every WebSocket of the user on every node with 4010 and ends its event streams. The
   * body, {@code {"reason"?}}, is optional; the reason goes to the log of the node that took the
   * call.
   */
  @POST
  @Path("{userId}/disconnect")
  @Produces(MediaType.APPLICATION_JSON)
  @Requires(Right.PUBLISH)
  public Response disconnect(
      @PathParam("userId") String userId,
      @HeaderParam("Content-Type") String contentType,
      @Context HttpServletRequest request,
      InputStream body) {
    Caller caller = ApiAccess.caller(request);
    rates.charge(caller, request);
    checkUserId(userId);
    String reason = reasonOf(contentType, body);
    long reached = broker.command(Command.disconnect(userId));
    LOG.info(
        "Disconnect of user "
            + Json.get().write(userId)
            + " requested through the API"
            + (reason == null ? "" : " (" + Json.get().write(reason) + ")")
            + "; "
            + reached
            + " nodes told");
    return Response.accepted(Json.get().write(new HttpFrames.Disconnected(userId, reached)))
        .build();
  }

  public static void checkUserId(String userId) {
    if (userId == null
        || userId.isEmpty()
        || userId.length() > MAX_USER_ID
        || userId.codePoints().anyMatch(Character::isISOControl)) {
      throw ApiException.badRequest(
          "A userId is 1 to " + MAX_USER_ID + " characters, without control characters");
    }
  }

  /** The optional reason; an empty body (with or without a Content-Type) has none. */
  private static String reasonOf(String contentType, InputStream body) {
    if (body == null) {
      return null;
    }
    PushbackInputStream in = new PushbackInputStream(body, 1);
    try {
      int first = in.read();
      if (first == -1) {
        return null;
      }
      in.unread(first);
    } catch (IOException e) {
      throw ApiException.badRequest("The body could not be read");
    }
    JsonObject object = RequestBodies.jsonObject(contentType, in);
    JsonValue reason = object.get("reason");
    if (reason == null || reason == JsonValue.NULL) {
      return null;
    }
    if (!(reason instanceof JsonString text)
        || text.getString().isBlank()
        || text.getString().length() > MAX_REASON) {
      throw ApiException.badRequest("reason is a string of 1 to " + MAX_REASON + " characters");
    }
    return text.getString();
  }
}
