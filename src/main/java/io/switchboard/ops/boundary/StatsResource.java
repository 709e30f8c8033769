package io.switchboard.ops.boundary;

import io.switchboard.ops.control.Stats;
import io.switchboard.ops.control.StatsStream;
import io.switchboard.platform.Json;
import io.switchboard.security.Right;
import io.switchboard.security.boundary.Requires;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/** {@code /api/stats}: every live node's counters and the cluster's totals. */
@Path("stats")
@ApplicationScoped
public class StatsResource {

  @Inject Stats stats;
  @Inject StatsStream stream;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Requires(Right.READ)
  public String stats() {
    return Json.get().write(stats.cluster());
  }

  @GET
  @Path("stream")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Requires(Right.READ)
  public void stream(
      @Context SseEventSink sink, @Context Sse sse, @Context HttpServletRequest request) {
    stream.open(sink, sse, request);
  }
}
