package io.switchboard.ops.control;

import io.switchboard.broker.Presence;
import io.switchboard.chat.control.ChatService;
import io.switchboard.chat.control.Rooms;
import io.switchboard.config.Settings;
import io.switchboard.connection.Connections;
import io.switchboard.notifications.control.NotificationHub;
import io.switchboard.ops.entity.ClusterStats;
import io.switchboard.ops.entity.NodeStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** The counters of this node, and of the cluster as far as this node knows it. */
@ApplicationScoped
public class Stats {

  @Inject Settings settings;
  @Inject Connections connections;
  @Inject Rooms rooms;
  @Inject ChatService chat;
  @Inject Presence presence;
  @Inject NotificationHub hub;

  private final long startedAt = System.currentTimeMillis();

  public NodeStats local() {
    return new NodeStats(
        settings.nodeId(),
        connections.count(),
        hub.clientCount(),
        rooms.localRoomCount(),
        chat.messagesIn(),
        connections.framesOut() + hub.eventsOut(),
        System.currentTimeMillis() - startedAt);
  }

  public ClusterStats cluster() {
    return ClusterStats.of(settings.nodeId(), List.of(local()), presence.memberCounts().size());
  }
}
