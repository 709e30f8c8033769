package io.switchboard.notifications.boundary;

import io.switchboard.notifications.control.NotificationHub;
import io.switchboard.notifications.control.Notifications;
import io.switchboard.notifications.control.SseStream;
import io.switchboard.platform.ApiException;
import io.switchboard.security.Identity;
import io.switchboard.security.Names;
import io.switchboard.security.Right;
import io.switchboard.security.boundary.ApiAccess;
import io.switchboard.security.boundary.Requires;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/events}: the notification stream (Server-Sent Events), for everyone or for one user,
 * filtered by topic, resumable with {@code Last-Event-ID}.
 */
@Path("events")
@ApplicationScoped
public class EventsResource {

  @Inject NotificationHub hub;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Requires(Right.READ)
  public void all(
      @QueryParam("topics") List<String> topics,
      @HeaderParam("Last-Event-ID") String lastEventIdHeader,
      @QueryParam("lastEventId") String lastEventIdQuery,
      @Context SseEventSink sink,
      @Context Sse sse,
      @Context HttpServletRequest servlet) {
    stream(
        sink,
        sse,
        servlet,
        Notifications.topics(topics),
        null,
        lastEventIdHeader,
        lastEventIdQuery);
  }

  @GET
  @Path("me")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Requires(Right.READ)
  public void mine(
      @QueryParam("user") String user,
      @QueryParam("topics") List<String> topics,
      @HeaderParam("Last-Event-ID") String lastEventIdHeader,
      @QueryParam("lastEventId") String lastEventIdQuery,
      @Context SseEventSink sink,
      @Context Sse sse,
      @Context HttpServletRequest servlet,
      @Context ContainerRequestContext request) {
    String userId;
    Identity identity = ApiAccess.caller(request).identity().orElse(null);
    if (identity != null) {
      userId = identity.userId(); // token mode: the token says who
    } else {
      try {
        userId = Names.displayName(user).orElse(null);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("'user' must be a name of 1 to 32 printable characters");
      }
      if (userId == null) {
        throw new ApiException(401, "unauthorized", "Name the user with ?user= (guest mode)");
      }
    }
    stream(
        sink,
        sse,
        servlet,
        Notifications.topics(topics),
        userId,
        lastEventIdHeader,
        lastEventIdQuery);
  }

  private void stream(
      SseEventSink sink,
      Sse sse,
      HttpServletRequest servlet,
      Set<String> topics,
      String user,
      String lastEventIdHeader,
      String lastEventIdQuery) {
    SseStream stream = hub.open(sink, sse, servlet);
    hub.subscribe(
        stream,
        new NotificationHub.Filter(topics, user),
        Notifications.lastEventId(lastEventIdHeader, lastEventIdQuery));
  }
}
