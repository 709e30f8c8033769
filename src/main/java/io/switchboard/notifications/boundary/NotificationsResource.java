package io.switchboard.notifications.boundary;

import io.switchboard.notifications.control.Notifications;
import io.switchboard.platform.RequestBodies;
import io.switchboard.security.Caller;
import io.switchboard.security.Right;
import io.switchboard.security.boundary.ApiAccess;
import io.switchboard.security.boundary.Requires;
import io.switchboard.security.control.PublishRates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/** {@code POST /api/notifications}: publish to everyone, or to one user. */
@Path("notifications")
@ApplicationScoped
public class NotificationsResource {

  @Inject Notifications notifications;
  @Inject PublishRates rates;

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  @Requires(Right.PUBLISH)
  public Response publish(
      @HeaderParam("Content-Type") String contentType,
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      @Context HttpServletRequest request,
      InputStream body) {
    Caller caller = ApiAccess.caller(request);
    String dedupKey = rates.idempotencyKey(caller, request, idempotencyKey);
    rates.charge(caller, request);
    long id = notifications.publish(RequestBodies.jsonObject(contentType, body), dedupKey).id();
    return Response.accepted("{\"id\":" + id + "}").build();
  }
}
