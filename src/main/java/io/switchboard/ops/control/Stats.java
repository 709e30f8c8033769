package io.switchboard.ops.control;

import io.switchboard.broker.BrokerUnavailableException;
import io.switchboard.broker.Cluster;
import io.switchboard.broker.NodeStats;
import io.switchboard.broker.Presence;
import io.switchboard.chat.control.Rooms;
import io.switchboard.chat.entity.ChatActivity;
import io.switchboard.config.Settings;
import io.switchboard.connection.Connections;
import io.switchboard.notifications.control.NotificationHub;
import io.switchboard.ops.entity.ClusterStats;
import io.switchboard.platform.Workers;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** The counters of this node, and of the cluster as far as this node knows it. */
@ApplicationScoped
public class Stats {

  @Inject Settings settings;
  @Inject Connections connections;
  @Inject Rooms rooms;
  @Inject Presence presence;
  @Inject NotificationHub hub;
  @Inject Cluster cluster;
  @Inject Workers workers;

  private final long startedAt = System.currentTimeMillis();
  private final LongAdder messagesIn = new LongAdder();

  /** Chat messages accepted on this node (new ones; a repeat of an earlier one is not counted). */
  void count(@Observes ChatActivity activity) {
    if (activity.kind() == ChatActivity.Kind.ACCEPTED) {
      messagesIn.increment();
    }
  }

  @PostConstruct
  void start() {
    workers.every(workers.clusterTimers(), REPORT_MILLIS, "Node report", this::report);
  }

  /** How often a node reports itself; a node silent for three periods counts as gone. */
  public static final long REPORT_MILLIS = 2000;

  public NodeStats local() {
    return new NodeStats(
        settings.nodeId(),
        connections.count(),
        hub.clientCount(),
        rooms.localRoomCount(),
        messagesIn.sum(),
        connections.framesOut() + hub.eventsOut(),
        System.currentTimeMillis() - startedAt);
  }

  /**
   * This node's fresh counters and the last reports of the others, by node id. While the shared
   * store is unreachable, this node alone (the stats must help during an outage, not fail).
   */
  public ClusterStats cluster() {
    NodeStats self = local();
    List<NodeStats> nodes = new ArrayList<>();
    nodes.add(self);
    int rooms;
    try {
      for (NodeStats other : cluster.nodes()) {
        if (!other.node().equals(self.node())) {
          nodes.add(other);
        }
      }
      rooms = presence.memberCounts().size();
    } catch (BrokerUnavailableException e) {
      rooms = self.rooms();
    }
    nodes.sort(Comparator.comparing(NodeStats::node));
    return ClusterStats.of(settings.nodeId(), nodes, rooms);
  }

  /** Tells the cluster this node is alive, with its counters. */
  void report() {
    cluster.report(local());
  }
}
