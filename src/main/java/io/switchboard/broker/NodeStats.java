package io.switchboard.broker;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * One node's counters, as published to the cluster and shown by {@code /api/stats}.
 *
 * @param rooms rooms with members connected to this node
 * @param messagesIn chat messages accepted on this node
 * @param messagesOut frames and events written to this node's clients
 */
@JsonbPropertyOrder({
  "node",
  "connections",
  "sseClients",
  "rooms",
  "messagesIn",
  "messagesOut",
  "uptimeMs"
})
public record NodeStats(
    String node,
    int connections,
    int sseClients,
    int rooms,
    long messagesIn,
    long messagesOut,
    long uptimeMs) {}
