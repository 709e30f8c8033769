package io.switchboard.ops.boundary;

import io.switchboard.ops.control.StatsStream;
import io.switchboard.security.Right;
import io.switchboard.security.boundary.RoutedServlet;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import java.util.Map;

/** {@code /api/stats/stream}: the cluster's stats as Server-Sent Events, once a second. */
@WebServlet(urlPatterns = "/api/stats/stream/*", asyncSupported = true)
public class StatsStreamServlet extends RoutedServlet {

  @Inject StatsStream stream;

  @Override
  protected Map<String, Route> routes() {
    return Map.of(
        "",
        new Route(
            Right.READ,
            (caller, query, request, response) ->
                stream.open(request, response, caller.identity().orElse(null))));
  }
}
