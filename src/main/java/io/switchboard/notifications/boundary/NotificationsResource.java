package io.switchboard.notifications.boundary;

import io.switchboard.notifications.control.Notifications;
import io.switchboard.platform.RequestBodies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/** {@code POST /api/notifications}: publish to everyone, or to one user. */
@Path("notifications")
@ApplicationScoped
public class NotificationsResource {

  @Inject Notifications notifications;

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  public Response publish(InputStream body) {
    long id = notifications.publish(RequestBodies.jsonObject(body)).id();
    return Response.accepted("{\"id\":" + id + "}").build();
  }
}
