package io.switchboard.ops.entity;

import io.switchboard.broker.NodeStats;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/** {@code /api/stats}: this node's id, every live node, and the cluster's totals. */
@JsonbPropertyOrder({"node", "nodes", "totals"})
public record ClusterStats(String node, List<NodeStats> nodes, Totals totals) {

  /** Sums over the nodes, except {@code rooms}: distinct rooms with members in the cluster. */
  @JsonbPropertyOrder({"nodes", "connections", "sseClients", "rooms", "messagesIn", "messagesOut"})
  public record Totals(
      int nodes, int connections, int sseClients, int rooms, long messagesIn, long messagesOut) {}

  public static ClusterStats of(String node, List<NodeStats> nodes, int distinctRooms) {
    int connections = 0;
    int sse = 0;
    long in = 0;
    long out = 0;
    for (NodeStats n : nodes) {
      connections += n.connections();
      sse += n.sseClients();
      in += n.messagesIn();
      out += n.messagesOut();
    }
    return new ClusterStats(
        node,
        List.copyOf(nodes),
        new Totals(nodes.size(), connections, sse, distinctRooms, in, out));
  }
}
