package io.switchboard.ops.boundary;

import io.switchboard.ops.control.Stats;
import io.switchboard.platform.Json;
import io.switchboard.security.Right;
import io.switchboard.security.boundary.Requires;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /api/stats}: every live node's counters and the cluster's totals. */
@Path("stats")
@ApplicationScoped
public class StatsResource {

  @Inject Stats stats;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Requires(Right.READ)
  public String stats() {
    return Json.get().write(stats.cluster());
  }
}
