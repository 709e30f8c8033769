package io.switchboard.ops.control;

import io.switchboard.broker.Broker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health/ready}: DOWN while the broker's shared store cannot be reached (a load balancer
 * then stops sending new clients here), and while the node drains for shutdown.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

  @Inject Broker broker;

  private volatile boolean draining;

  /** From now on the node refuses new work (shutdown). */
  public void drain() {
    draining = true;
  }

  public boolean isDraining() {
    return draining;
  }

  @Override
  public HealthCheckResponse call() {
    boolean brokerUp = broker.isAvailable();
    return HealthCheckResponse.named("switchboard")
        .status(brokerUp && !draining)
        .withData("broker", brokerUp ? "reachable" : "unreachable")
        .withData("draining", draining)
        .build();
  }
}
