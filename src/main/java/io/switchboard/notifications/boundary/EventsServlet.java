package io.switchboard.notifications.boundary;

import static io.switchboard.platform.QueryString.first;

import io.switchboard.notifications.control.NotificationHub;
import io.switchboard.notifications.control.Notifications;
import io.switchboard.notifications.control.SseStream;
import io.switchboard.platform.ApiException;
import io.switchboard.security.Caller;
import io.switchboard.security.Identity;
import io.switchboard.security.Names;
import io.switchboard.security.Right;
import io.switchboard.security.boundary.RoutedServlet;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/events}: the notification stream (Server-Sent Events), for everyone or, on {@code
 * /api/events/me}, for one user; filtered by topic, resumable with {@code Last-Event-ID}.
 */
@WebServlet(urlPatterns = "/api/events/*", asyncSupported = true)
public class EventsServlet extends RoutedServlet {

  @Inject NotificationHub hub;

  @Override
  protected Map<String, Route> routes() {
    return Map.of("", new Route(Right.READ, this::all), "/me", new Route(Right.READ, this::mine));
  }

  private void all(
      Caller caller,
      Map<String, List<String>> query,
      HttpServletRequest request,
      HttpServletResponse response)
      throws IOException {
    stream(caller.identity().orElse(null), query, null, request, response);
  }

  private void mine(
      Caller caller,
      Map<String, List<String>> query,
      HttpServletRequest request,
      HttpServletResponse response)
      throws IOException {
    Identity identity = caller.identity().orElse(null);
    String userId;
    if (identity != null) {
      userId = identity.userId(); // token mode: the token says who
    } else {
      try {
        userId = Names.displayName(first(query, "user")).orElse(null);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("'user' must be a name of 1 to 32 printable characters");
      }
      if (userId == null) {
        throw new ApiException(401, "unauthorized", "Name the user with ?user= (guest mode)");
      }
    }
    // A guest's stream counts against the user it names, as a guest's connection does.
    stream(identity != null ? identity : Identity.guest(userId), query, userId, request, response);
  }

  private void stream(
      Identity who,
      Map<String, List<String>> query,
      String user,
      HttpServletRequest request,
      HttpServletResponse response)
      throws IOException {
    NotificationHub.Filter filter =
        new NotificationHub.Filter(Notifications.topics(query.get("topics")), user);
    Long lastEventId =
        Notifications.lastEventId(request.getHeader("Last-Event-ID"), first(query, "lastEventId"));
    SseStream stream = hub.open(request, response, who);
    hub.subscribe(stream, filter, lastEventId);
  }
}
