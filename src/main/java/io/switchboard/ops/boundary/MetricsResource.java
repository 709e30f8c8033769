package io.switchboard.ops.boundary;

import io.switchboard.ops.control.Metrics;
import io.switchboard.security.Right;
import io.switchboard.security.boundary.Requires;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** {@code /api/metrics}: Prometheus text format (in token mode, scrape with the API key). */
@Path("metrics")
@ApplicationScoped
public class MetricsResource {

  @Inject Metrics metrics;

  @GET
  @Produces("text/plain; version=0.0.4; charset=utf-8")
  @Requires(Right.READ)
  public String scrape() {
    return metrics.scrape();
  }
}
