package io.switchboard.ops.control;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * {@code /health/live}: UP while the application runs. A broker outage does not make a node dead
 * (restarting it would not bring Redis back); it only makes it not ready.
 */
@org.eclipse.microprofile.health.Liveness
@ApplicationScoped
public class Liveness implements HealthCheck {

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.up("switchboard");
  }
}
