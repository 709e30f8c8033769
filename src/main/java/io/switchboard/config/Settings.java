package io.switchboard.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** Every key this class reads, with its default as the README writes it ("unset": none). */
  private final Map<String, String> defaults = new LinkedHashMap<>();

  private final String nodeId;
  private final Optional<String> redisUrl;
  private final String redisKeyPrefix;
  private final Optional<String> redisTrustStore;
  private final Optional<String> redisTrustStorePassword;
  private final int historySize;
  private final int historyBytes;
  private final int historyTotalBytes;
  private final int notificationHistory;
  private final int notificationHistoryBytes;
  private final int ratePerSecond;
  private final int rateBurst;
  private final int maxFrameBytes;
  private final int heartbeatSeconds;
  private final int idleTimeoutSeconds;
  private final int sseHeartbeatSeconds;
  private final int writeTimeoutSeconds;
  private final int idempotencySeconds;
  private final boolean websocketPortable;
  private final int clientMaxQueued;
  private final int clientMaxQueuedBytes;
  private final int maxRooms;
  private final int roomTtlSeconds;
  private final Optional<byte[]> jwtSecret;
  private final Optional<String> issuer;
  private final Auth auth;
  private final Optional<String> apiKey;
  private final List<String> allowedOrigins;
  private final Limits limits;
  private final List<String> trustedProxies;

  /**
   * What one client may open or spend; 0 turns a cap off.
   *
   * @param roomsPerConnection rooms one connection may be in at once
   * @param connectionsPerAddress WebSockets open at once from one client address, per node
   * @param connectionsPerUser WebSockets open at once by one user, per node
   * @param streamsPerAddress event streams open at once from one client address, per node
   * @param streamsPerUser event streams open at once by one user, per node
   * @param bytesPerSecond bytes of frames (pings included) one connection may send per second
   * @param publishRate HTTP publishes per second per credential, per node (burst: twice that)
   * @param connectRate new connections (WebSockets and event streams) per second, per node (burst:
   *     twice that)
   */
  public record Limits(
      int roomsPerConnection,
      int connectionsPerAddress,
      int connectionsPerUser,
      int streamsPerAddress,
      int streamsPerUser,
      int bytesPerSecond,
      int publishRate,
      int connectRate) {}

  /**
   * Token mode beyond the HS256 secret: identity providers' keys and what their tokens must say.
   *
   * @param publicKey verification keys given inline (PEM, JWK or JWKS)
   * @param publicKeyLocation a file or {@code file:} URL with keys, or an {@code http(s)} JWKS URL
   * @param publicKeyAlgorithms the asymmetric algorithms accepted (RS256, ES256, ...)
   * @param audiences a token's {@code aud} must name one of these, when any are given
   * @param clockSkewSeconds leeway for {@code exp} and {@code nbf}
   * @param tokenHeader where HTTP calls carry the token: {@code Authorization} (as {@code Bearer}),
   *     {@code Cookie} (the cookie {@code tokenCookie}), or another header (the bare token)
   * @param tokenCookie the cookie's name when {@code tokenHeader} is {@code Cookie}
   * @param ticketSecret the key connect tickets are signed with; empty: derived from the HS256
   *     secret, or made at start
   * @param jwksRefreshSeconds how often a JWKS is fetched again
   * @param jwksMinRefreshSeconds at most one fetch in this time for tokens with an unknown {@code
   *     kid}
   * @param rolesClaims the claims (names or dotted paths) roles are read from
   * @param roomsClaim the claim (name or dotted path) of the rooms a user may join
   * @param expiringSeconds how long before a connection's token expires it is sent {@code expiring}
   */
  public record Auth(
      Optional<String> publicKey,
      Optional<String> publicKeyLocation,
      List<String> publicKeyAlgorithms,
      List<String> audiences,
      int clockSkewSeconds,
      String tokenHeader,
      String tokenCookie,
      Optional<byte[]> ticketSecret,
      int jwksRefreshSeconds,
      int jwksMinRefreshSeconds,
      List<String> rolesClaims,
      String roomsClaim,
      int expiringSeconds) {

    /** Whether any key to verify users' tokens with is configured besides the HS256 secret. */
    public boolean hasPublicKeys() {
      return publicKey.isPresent() || publicKeyLocation.isPresent();
    }
  }

  /** The asymmetric algorithms Switchboard verifies. */
  public static final List<String> PUBLIC_KEY_ALGORITHMS =
      List.of("RS256", "RS384", "RS512", "PS256", "ES256", "ES384");

  public Settings(Function<String, Optional<String>> source) {
    this.source = source;
    this.nodeId =
        optional("switchboard.node.id", "host name + random suffix")
            .orElseGet(Settings::defaultNodeId);
    this.redisUrl = optional("switchboard.redis.url");
    this.redisKeyPrefix =
        optional("switchboard.redis.key-prefix", "`switchboard:`").orElse("switchboard:");
    this.redisTrustStore = optional("switchboard.redis.tls.trust-store");
    this.redisTrustStorePassword = optional("switchboard.redis.tls.trust-store-password");
    this.historySize = integer("switchboard.history.size", 1000, 0, 1_000_000);
    this.historyBytes =
        integer("switchboard.history.bytes", 1024 * 1024, 16 * 1024, Integer.MAX_VALUE);
    this.historyTotalBytes =
        integer(
            "switchboard.history.total-bytes", 128 * 1024 * 1024, 1024 * 1024, Integer.MAX_VALUE);
    this.notificationHistory = integer("switchboard.history.notifications", 10_000, 0, 10_000_000);
    this.notificationHistoryBytes =
        integer(
            "switchboard.history.notification-bytes",
            64 * 1024 * 1024,
            128 * 1024,
            Integer.MAX_VALUE);
    this.ratePerSecond = integer("switchboard.ratelimit.per-second", 10, 1, 1_000_000);
    this.rateBurst = integer("switchboard.ratelimit.burst", 20, 1, 1_000_000);
    this.maxFrameBytes = integer("switchboard.max-frame-bytes", 16384, 256, 16 * 1024 * 1024);
    this.heartbeatSeconds = integer("switchboard.heartbeat.seconds", 25, 1, 3600);
    this.idleTimeoutSeconds = integer("switchboard.idle-timeout.seconds", 60, 1, 86_400);
    this.sseHeartbeatSeconds = integer("switchboard.sse.heartbeat.seconds", 15, 1, 3600);
    this.writeTimeoutSeconds = integer("switchboard.write-timeout.seconds", 10, 1, 3600);
    this.idempotencySeconds = integer("switchboard.idempotency.window.seconds", 600, 0, 7 * 86_400);
    this.websocketPortable = bool("switchboard.websocket.portable", false);
    this.clientMaxQueued = integer("switchboard.client.max-queued", 1000, 1, 1_000_000);
    this.clientMaxQueuedBytes =
        integer("switchboard.client.max-queued-bytes", 2 * 1024 * 1024, 64 * 1024, 1 << 30);
    this.maxRooms = integer("switchboard.rooms.max", 10_000, 1, 10_000_000);
    this.roomTtlSeconds =
        integer("switchboard.redis.room-ttl.seconds", 7 * 86_400, 60, Integer.MAX_VALUE);
    redisUrl.ifPresent(Settings::checkRedisUrl);
    this.jwtSecret = optional("switchboard.auth.jwt-secret").map(Settings::jwtSecret);
    this.issuer = aliased("mp.jwt.verify.issuer", "switchboard.auth.issuer");
    this.auth = readAuth();
    this.apiKey = optional("switchboard.api.key");
    this.limits =
        new Limits(
            integer("switchboard.limits.rooms-per-connection", 100, 0, 1_000_000),
            integer("switchboard.limits.connections-per-address", 200, 0, 10_000_000),
            integer("switchboard.limits.connections-per-user", 50, 0, 10_000_000),
            integer("switchboard.limits.streams-per-address", 100, 0, 10_000_000),
            integer("switchboard.limits.streams-per-user", 20, 0, 10_000_000),
            integer("switchboard.limits.bytes-per-second", 64 * 1024, 0, Integer.MAX_VALUE),
            integer("switchboard.limits.publish-rate", 200, 0, 10_000_000),
            integer("switchboard.limits.connect-rate", 1000, 0, 10_000_000));
    this.trustedProxies =
        optional("switchboard.trusted-proxies")
            .map(
                list ->
                    Arrays.stream(list.split(","))
                        .map(String::trim)
                        .filter(p -> !p.isEmpty())
                        .map(Settings::address)
                        .toList())
            .orElse(List.of());
    this.allowedOrigins =
        optional("switchboard.allowed-origins")
            .map(
                list ->
                    Arrays.stream(list.split(","))
                        .map(String::trim)
                        .filter(o -> !o.isEmpty())
                        .map(Settings::origin)
                        .toList())
            .orElse(List.of());
  }

  private Auth readAuth() {
    List<String> algorithms =
        list(
            aliased("mp.jwt.verify.publickey.algorithm", "switchboard.auth.public-key-algorithm"),
            "mp.jwt.verify.publickey.algorithm",
            "all six",
            PUBLIC_KEY_ALGORITHMS);
    for (String algorithm : algorithms) {
      if (!PUBLIC_KEY_ALGORITHMS.contains(algorithm)) {
        throw new InvalidSettingException(
            "mp.jwt.verify.publickey.algorithm",
            "names '" + algorithm + "'; accepted: " + String.join(", ", PUBLIC_KEY_ALGORITHMS));
      }
    }
    Optional<String> clockSkew =
        aliased("mp.jwt.verify.clock.skew", "switchboard.auth.clock-skew.seconds", "30");
    int skew = clockSkew.isEmpty() ? 30 : bounded("mp.jwt.verify.clock.skew", clockSkew, 0, 3600);
    String header = optional("mp.jwt.token.header", "Authorization").orElse("Authorization");
    if (!header.matches("[A-Za-z0-9-]{1,64}")) {
      throw new InvalidSettingException("mp.jwt.token.header", "is not a header name");
    }
    String cookie = optional("mp.jwt.token.cookie", "Bearer").orElse("Bearer");
    if (!cookie.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new InvalidSettingException("mp.jwt.token.cookie", "is not a cookie name");
    }
    Optional<byte[]> ticketSecret =
        optional("switchboard.auth.ticket-secret")
            .map(secret -> secretBytes("switchboard.auth.ticket-secret", secret));
    int refresh = integer("switchboard.auth.jwks.refresh.seconds", 600, 10, 86_400);
    int minRefresh = integer("switchboard.auth.jwks.min-refresh.seconds", 30, 1, 3600);
    List<String> roles =
        list(
            optional("switchboard.auth.claims.roles", "`roles,groups`"),
            "switchboard.auth.claims.roles",
            null,
            List.of("roles", "groups"));
    String rooms = optional("switchboard.auth.claims.rooms", "`rooms`").orElse("rooms");
    for (String claim : concat(roles, List.of(rooms))) {
      if (!claim.matches("[A-Za-z0-9_:/$-]+(\\.[A-Za-z0-9_:/$-]+)*")) {
        throw new InvalidSettingException(
            "switchboard.auth.claims.*", "'" + claim + "' is not a claim name or dotted path");
      }
    }
    return new Auth(
        aliased("mp.jwt.verify.publickey", "switchboard.auth.public-key"),
        aliased("mp.jwt.verify.publickey.location", "switchboard.auth.public-key-location"),
        algorithms,
        list(
            aliased("mp.jwt.verify.audiences", "switchboard.auth.audiences"),
            "mp.jwt.verify.audiences",
            null,
            List.of()),
        skew,
        header,
        cookie,
        ticketSecret,
        refresh,
        minRefresh,
        roles,
        rooms,
        integer("switchboard.auth.expiring.seconds", 60, 1, 3600));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * A key with an alias (a MicroProfile JWT key and Switchboard's own name for it): either may be
   * set; both, to different values, stop the deployment.
   */
  private Optional<String> aliased(String key, String alias) {
    return aliased(key, alias, "unset");
  }

  private Optional<String> aliased(String key, String alias, String documentedDefault) {
    Optional<String> main = optional(key, documentedDefault);
    Optional<String> other = text(alias);
    if (main.isPresent() && other.isPresent() && !main.equals(other)) {
      throw new InvalidSettingException(
          key, "and its alias " + alias + " are both set, to different values");
    }
    return main.isPresent() ? main : other;
  }

  /** A comma-separated list; {@code documentedDefault} null: already registered. */
  private List<String> list(
      Optional<String> raw, String key, String documentedDefault, List<String> fallback) {
    if (documentedDefault != null) {
      defaults.put(key, documentedDefault);
    }
    if (raw.isEmpty()) {
      return fallback;
    }
    List<String> items =
        Arrays.stream(raw.get().split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    if (items.isEmpty()) {
      throw new InvalidSettingException(key, "is an empty list");
    }
    return items;
  }

  private static int bounded(String key, Optional<String> raw, int min, int max) {
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

  /** Reads an optional value; blank counts as unset. */
  public Optional<String> text(String key) {
    return source.apply(key).map(String::trim).filter(s -> !s.isEmpty());
  }

  /** A key without a default. */
  private Optional<String> optional(String key) {
    return optional(key, "unset");
  }

  /** A key whose default is not a plain value (made at start, or written in code). */
  private Optional<String> optional(String key, String documentedDefault) {
    defaults.put(key, documentedDefault);
    return text(key);
  }

  /** Every key read, with its default as documented ({@code unset}: none), in reading order. */
  public Map<String, String> defaults() {
    return Map.copyOf(defaults);
  }

  boolean bool(String key, boolean fallback) {
    defaults.put(key, Boolean.toString(fallback));
    Optional<String> raw = text(key);
    if (raw.isEmpty()) {
      return fallback;
    }
    return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new InvalidSettingException(key, "is not true or false: '" + raw.get() + "'");
    };
  }

  int integer(String key, int fallback, int min, int max) {
    defaults.put(key, Integer.toString(fallback));
    Optional<String> raw = text(key);
    if (raw.isEmpty()) {
      return fallback;
    }
    return bounded(key, raw, min, max);
  }

  /** HS256 needs a key of at least 256 bits; a shorter one is refused, not padded. */
  private static byte[] jwtSecret(String secret) {
    return secretBytes("switchboard.auth.jwt-secret", secret);
  }

  private static byte[] secretBytes(String key, String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < 32) {
      throw new InvalidSettingException(
          key,
          "must be at least 32 bytes (256 bits) for HS256; it has "
              + bytes.length
              + ". Generate one with: openssl rand -base64 48");
    }
    return bytes;
  }

  /** An origin as browsers send it: scheme://host[:port], lower case, no trailing slash. */
  static String origin(String raw) {
    String origin = raw.toLowerCase(java.util.Locale.ROOT);
    while (origin.endsWith("/")) {
      origin = origin.substring(0, origin.length() - 1);
    }
    if (!origin.matches("https?://[^/\\s]+")) {
      throw new InvalidSettingException(
          "switchboard.allowed-origins",
          "must be a comma-separated list of origins like https://chat.example.com, not '"
              + raw
              + "'");
    }
    return origin;
  }

  /** A proxy's IP address, as the container reports a peer (no host names: no lookups). */
  static String address(String raw) {
    if (!raw.matches("[0-9.]+|[0-9A-Fa-f:.]+")) {
      throw new InvalidSettingException(
          "switchboard.trusted-proxies",
          "must be a comma-separated list of IP addresses, not '" + raw + "'");
    }
    try {
      return InetAddress.getByName(raw).getHostAddress();
    } catch (UnknownHostException e) {
      throw new InvalidSettingException("switchboard.trusted-proxies", "'" + raw + "' is no IP");
    }
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

  /** A trust store (PKCS12 or JKS file) for {@code rediss://}; empty: the JVM's. */
  public Optional<String> redisTrustStore() {
    return redisTrustStore;
  }

  public Optional<String> redisTrustStorePassword() {
    return redisTrustStorePassword;
  }

  public int historySize() {
    return historySize;
  }

  public int notificationHistory() {
    return notificationHistory;
  }

  /**
   * How long a chat message's id (per sender and room) and an HTTP publish's Idempotency-Key are
   * remembered, so that a repeat is answered as the original and not stored again (0: never).
   */
  /**
   * Whether WebSockets use only the standard API: no reach into Tyrus for pre-encoded broadcasts
   * and the idle timer (slower on Payara; for a Tyrus whose internals changed).
   */
  public boolean websocketPortable() {
    return websocketPortable;
  }

  public int idempotencySeconds() {
    return idempotencySeconds;
  }

  /** Bytes of messages kept per room. */
  public int historyBytes() {
    return historyBytes;
  }

  /** Bytes of messages an in-memory node keeps for all rooms together. */
  public int historyTotalBytes() {
    return historyTotalBytes;
  }

  /** Bytes of notifications kept. */
  public int notificationHistoryBytes() {
    return notificationHistoryBytes;
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

  /**
   * How long a client that stopped reading keeps its TCP connection: a WebSocket that Switchboard
   * closed and whose close did not complete, and an event stream whose writes made no progress, are
   * reset after this long.
   */
  public int writeTimeoutSeconds() {
    return writeTimeoutSeconds;
  }

  public int clientMaxQueued() {
    return clientMaxQueued;
  }

  /** Encoded bytes a connection's outgoing queue may hold before it is closed with 4009. */
  public int clientMaxQueuedBytes() {
    return clientMaxQueuedBytes;
  }

  public int maxRooms() {
    return maxRooms;
  }

  /** The HS256 secret; empty means guest mode. */
  public Optional<byte[]> jwtSecret() {
    return jwtSecret;
  }

  public Optional<String> issuer() {
    return issuer;
  }

  /** Identity providers' keys and the rules for their tokens. */
  public Auth auth() {
    return auth;
  }

  public Optional<String> apiKey() {
    return apiKey;
  }

  /** Origins allowed to open WebSockets and to call the API cross-origin; empty: see README. */
  public List<String> allowedOrigins() {
    return allowedOrigins;
  }

  /** How long Redis keeps a room that nobody writes to. */
  public int roomTtlSeconds() {
    return roomTtlSeconds;
  }

  /** Per-client caps (0: off). */
  public Limits limits() {
    return limits;
  }

  /**
   * Proxies whose {@code X-Forwarded-For} names the client (their own address otherwise counts as
   * the client's); empty when none is trusted.
   */
  public List<String> trustedProxies() {
    return trustedProxies;
  }
}
