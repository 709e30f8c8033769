package io.switchboard.broker;

import java.util.List;

/**
 * The nodes of the cluster and their counters. Each node reports itself regularly; a node that
 * stops reporting drops out within a bounded time.
 *
 * <p>Implementations: {@link InMemoryCluster} (this node only) and the Redis one.
 */
public interface Cluster {

  /** Reports this node as alive, with its current counters. */
  void report(NodeStats self);

  /** Every live node, this one included. */
  List<NodeStats> nodes();
}
