package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What every {@link Cluster} does, run against each implementation (one node). */
public interface ClusterContract {

  /** A fresh cluster view for the node {@code self}. */
  Cluster cluster(String self);

  @Test
  default void aNodeThatReportedIsListedWithItsLatestCounters() {
    Cluster cluster = cluster("n1");
    cluster.report(new NodeStats("n1", 3, 1, 2, 10, 40, 1000));
    cluster.report(new NodeStats("n1", 4, 1, 2, 11, 44, 3000));
    assertThat(cluster.nodes()).containsExactly(new NodeStats("n1", 4, 1, 2, 11, 44, 3000));
  }
}
