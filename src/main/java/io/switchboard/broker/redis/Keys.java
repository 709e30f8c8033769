package io.switchboard.broker.redis;

/**
 * Every Redis key and channel Switchboard uses, under one configurable prefix. A room's keys share
 * a hash tag ({@code {room}}) so that they live on one shard of a Redis Cluster.
 */
final class Keys {

  private final String prefix;

  Keys(String prefix) {
    this.prefix = prefix;
  }

  String prefix() {
    return prefix;
  }

  /** The room's last offset (INCR). */
  String offset(String room) {
    return prefix + "room:{" + room + "}:offset";
  }

  /** The room whose {@link #offset} key this is. */
  String roomOfOffset(String offsetKey) {
    return offsetKey.substring(
        (prefix + "room:{").length(), offsetKey.length() - "}:offset".length());
  }

  /** The room's kept messages, oldest first (a list of JSON). */
  String log(String room) {
    return prefix + "room:{" + room + "}:log";
  }

  /** The bytes of the room's kept messages (the history's byte bound). */
  String bytes(String room) {
    return prefix + "room:{" + room + "}:bytes";
  }

  /** A message's dedup key in the room (the sender and its id): the offset it took. */
  String dedup(String room, String key) {
    return prefix + "room:{" + room + "}:dedup:" + key;
  }

  /** The room's epoch: made with the room, lost with its history. */
  String epoch(String room) {
    return prefix + "room:{" + room + "}:epoch";
  }

  /** The pub/sub channel of a room: messages and signals. */
  String roomChannel(String room) {
    return prefix + "room:{" + room + "}";
  }

  /** Distinct users in a room: userId to connection count across nodes. */
  String users(String room) {
    return prefix + "room:{" + room + "}:users";
  }

  /** Connections per user per node in a room: "userId\nnode" to count. */
  String connections(String room) {
    return prefix + "room:{" + room + "}:connections";
  }

  /** Display names of the users in a room. */
  String names(String room) {
    return prefix + "room:{" + room + "}:names";
  }

  /** Rooms that have members somewhere. */
  String presenceRooms() {
    return prefix + "presence:rooms";
  }

  /**
   * The rooms in which a node has connections, each with their count (a hash), for cleaning up
   * after it; a room leaves it with the node's last connection in it.
   */
  String nodeRooms(String node) {
    return prefix + "node:{" + node + "}:room-connections";
  }

  /** What versions before 1.1 kept instead of {@link #nodeRooms}: a set that only grew. */
  String legacyNodeRooms(String node) {
    return prefix + "node:{" + node + "}:rooms";
  }

  /** A node's last report; expires when the node stops reporting. */
  String node(String node) {
    return prefix + "node:{" + node + "}";
  }

  /** Every node that ever reported and was not cleaned up yet. */
  String nodes() {
    return prefix + "nodes";
  }

  /** Taken by the one node that cleans up after a dead node. */
  String cleanup(String node) {
    return prefix + "node:{" + node + "}:cleanup";
  }

  String notificationSeq() {
    return prefix + "notifications:seq";
  }

  String notificationLog() {
    return prefix + "notifications:log";
  }

  /** The notification sequence's epoch: made with it, lost with it. */
  String notificationEpoch() {
    return prefix + "notifications:epoch";
  }

  String notificationBytes() {
    return prefix + "notifications:bytes";
  }

  /** A notification's dedup key (the publisher's credential and Idempotency-Key). */
  String notificationDedup(String key) {
    return prefix + "notifications:dedup:" + key;
  }

  String notificationChannel() {
    return prefix + "notifications";
  }

  /** A channel every node subscribes to, so the subscription is never empty. */
  String controlChannel() {
    return prefix + "control";
  }

  String rateBucket(String userId) {
    return prefix + "rate:{" + userId + "}";
  }

  /** The room a room channel belongs to, or null. */
  String roomOfChannel(String channel) {
    String head = prefix + "room:{";
    if (channel.startsWith(head) && channel.endsWith("}")) {
      return channel.substring(head.length(), channel.length() - 1);
    }
    return null;
  }
}
