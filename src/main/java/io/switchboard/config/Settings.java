package io.switchboard.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;

/**
 * Switchboard's runtime configuration, read once at start from MicroProfile Config.
 *
 * <p>Every value is validated here, so a node with a bad setting refuses to start with a message
 * that names the key, instead of misbehaving later.
 */
public final class Settings {

  private final Function<String, Optional<String>> source;

  private final String nodeId;
  private final Optional<String> redisUrl;
  private final String redisKeyPrefix;
  private final int historySize;
  private final int notificationHistory;
  private final int ratePerSecond;
  private final int rateBurst;
  private final int maxFrameBytes;
  private final int heartbeatSeconds;
  private final int idleTimeoutSeconds;
  private final int sseHeartbeatSeconds;
  private final int clientMaxQueued;
  private final int maxRooms;
  private final int roomTtlSeconds;

  public Settings(Function<String, Optional<String>> source) {
    this.source = source;
    this.nodeId = text("switchboard.node.id").orElseGet(Settings::defaultNodeId);
    this.redisUrl = text("switchboard.redis.url");
    this.redisKeyPrefix = text("switchboard.redis.key-prefix").orElse("switchboard:");
    this.historySize = integer("switchboard.history.size", 1000, 0, 1_000_000);
    this.notificationHistory = integer("switchboard.history.notifications", 10_000, 0, 10_000_000);
    this.ratePerSecond = integer("switchboard.ratelimit.per-second", 10, 1, 1_000_000);
    this.rateBurst = integer("switchboard.ratelimit.burst", 20, 1, 1_000_000);
    this.maxFrameBytes = integer("switchboard.max-frame-bytes", 16384, 256, 16 * 1024 * 1024);
    this.heartbeatSeconds = integer("switchboard.heartbeat.seconds", 25, 1, 3600);
    this.idleTimeoutSeconds = integer("switchboard.idle-timeout.seconds", 60, 1, 86_400);
    this.sseHeartbeatSeconds = integer("switchboard.sse.heartbeat.seconds", 15, 1, 3600);
    this.clientMaxQueued = integer("switchboard.client.max-queued", 1000, 1, 1_000_000);
    this.maxRooms = integer("switchboard.rooms.max", 10_000, 1, 10_000_000);
    this.roomTtlSeconds =
        integer("switchboard.redis.room-ttl.seconds", 7 * 86_400, 60, Integer.MAX_VALUE);
    redisUrl.ifPresent(Settings::checkRedisUrl);
  }

  /** Reads an optional value; blank counts as unset. */
  public Optional<String> text(String key) {
    return source.apply(key).map(String::trim).filter(s -> !s.isEmpty());
  }

  int integer(String key, int fallback, int min, int max) {
    Optional<String> raw = text(key);
    if (raw.isEmpty()) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(raw.get());
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(key, "is not an integer: '" + raw.get() + "'");
    }
    if (value < min || value > max) {
      throw new InvalidSettingException(
          key, "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  private static void checkRedisUrl(String url) {
    try {
      java.net.URI uri = new java.net.URI(url);
      if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new InvalidSettingException(
            "switchboard.redis.url", "must look like redis://[:password@]host:port[/db]");
      }
    } catch (java.net.URISyntaxException e) {
      throw new InvalidSettingException("switchboard.redis.url", "is not a URL");
    }
  }

  private static String defaultNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "node";
    }
    byte[] suffix = new byte[2];
    new SecureRandom().nextBytes(suffix);
    return host + "-" + HexFormat.of().formatHex(suffix);
  }

  public String nodeId() {
    return nodeId;
  }

  public Optional<String> redisUrl() {
    return redisUrl;
  }

  public String redisKeyPrefix() {
    return redisKeyPrefix;
  }

  public int historySize() {
    return historySize;
  }

  public int notificationHistory() {
    return notificationHistory;
  }

  public int ratePerSecond() {
    return ratePerSecond;
  }

  public int rateBurst() {
    return rateBurst;
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  public int heartbeatSeconds() {
    return heartbeatSeconds;
  }

  public int idleTimeoutSeconds() {
    return idleTimeoutSeconds;
  }

  public int sseHeartbeatSeconds() {
    return sseHeartbeatSeconds;
  }

  public int clientMaxQueued() {
    return clientMaxQueued;
  }

  public int maxRooms() {
    return maxRooms;
  }

  /** How long Redis keeps a room that nobody writes to. */
  public int roomTtlSeconds() {
    return roomTtlSeconds;
  }
}
