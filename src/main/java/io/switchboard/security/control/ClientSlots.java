package io.switchboard.security.control;

import io.switchboard.config.Settings;
import io.switchboard.platform.Workers;
import io.switchboard.security.Identity;
import io.switchboard.security.Rejection;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one client holds open on this node: WebSockets and event streams, counted per client address
 * and per user against the configured caps. A slot is taken before a connection is accepted (HTTP
 * 429 past a cap, before any upgrade) and given back when it ends.
 *
 * <p>A WebSocket's slot is taken by a servlet filter, before the container upgrades the request,
 * and handed to the endpoint that opens it ({@link #claim}); a slot that no endpoint claims within
 * {@link #CLAIM_MILLIS} is given back, so a failed upgrade never keeps one.
 */
@ApplicationScoped
public class ClientSlots {

  /** How long a WebSocket's slot waits for its endpoint to open. */
  static final long CLAIM_MILLIS = 30_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject Settings settings;
  @Inject Workers workers;

  /** What a slot is for. */
  public enum Kind {
    WEBSOCKET,
    STREAM
  }

  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Map<String, Lease> unclaimed = new ConcurrentHashMap<>();
  private int perAddress;
  private int perUser;
  private int streamsPerAddress;
  private int streamsPerUser;

  @PostConstruct
  void start() {
    limit(settings.limits());
    workers.every(5000, "Unclaimed slot sweep", this::sweep);
  }

  /** Takes the caps (0: off). */
  void limit(Settings.Limits limits) {
    perAddress = limits.connectionsPerAddress();
    perUser = limits.connectionsPerUser();
    streamsPerAddress = limits.streamsPerAddress();
    streamsPerUser = limits.streamsPerUser();
  }

  /** A slot, given back once ({@link #release}); may carry the identity the filter found. */
  public final class Lease {
    private final String id;
    private final String addressKey;
    private final String userKey;
    private final Identity identity;
    private final long createdAt = System.currentTimeMillis();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile Rejection.Reason rejection;

    private Lease(String addressKey, String userKey, Identity identity) {
      byte[] bytes = new byte[16];
      RANDOM.nextBytes(bytes);
      this.id = HexFormat.of().formatHex(bytes);
      this.addressKey = addressKey;
      this.userKey = userKey;
      this.identity = identity;
    }

    public String id() {
      return id;
    }

    /** Who the filter found the client to be (null: the endpoint identifies it). */
    public Identity identity() {
      return identity;
    }

    /** Why the filter refused the client's credential (null: it did not), for the endpoint. */
    public Rejection.Reason rejection() {
      return rejection;
    }

    public void rejected(Rejection.Reason reason) {
      this.rejection = reason;
    }

    public void release() {
      if (released.compareAndSet(false, true)) {
        unclaimed.remove(id);
        decrement(addressKey);
        decrement(userKey);
      }
    }
  }

  /** A slot was refused: which cap. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Takes a slot for a client at {@code address}, of {@code identity} when it is known.
   *
   * @throws Refused when a cap is reached (nothing is taken)
   */
  public Lease acquire(Kind kind, String address, Identity identity) throws Refused {
    int addressCap = kind == Kind.WEBSOCKET ? perAddress : streamsPerAddress;
    int userCap = kind == Kind.WEBSOCKET ? perUser : streamsPerUser;
    String addressKey = addressCap > 0 ? kind + "|a|" + address : null;
    String userKey = userCap > 0 && identity != null ? kind + "|u|" + identity.userId() : null;
    if (!increment(addressKey, addressCap)) {
      throw new Refused("Too many connections from your address (at most " + addressCap + ")");
    }
    if (!increment(userKey, userCap)) {
      decrement(addressKey);
      throw new Refused("Too many connections of this user (at most " + userCap + ")");
    }
    return new Lease(addressKey, userKey, identity);
  }

  /** Keeps a WebSocket's slot for its endpoint to {@link #claim}, for a while. */
  public void await(Lease lease) {
    unclaimed.put(lease.id, lease);
  }

  /** The slot a filter took for this connection (by the id it passed on), or null. */
  public Lease claim(String id) {
    return id == null ? null : unclaimed.remove(id);
  }

  /** Gives back slots no endpoint claimed in time. */
  public void sweep() {
    sweep(System.currentTimeMillis());
  }

  void sweep(long now) {
    unclaimed
        .values()
        .removeIf(
            lease -> {
              if (now - lease.createdAt > CLAIM_MILLIS) {
                lease.release();
                return true;
              }
              return false;
            });
  }

  /** Slots held now (for tests and stats). */
  int held(String key) {
    AtomicInteger count = counts.get(key);
    return count == null ? 0 : count.get();
  }

  private boolean increment(String key, int cap) {
    if (key == null) {
      return true;
    }
    boolean[] taken = {false};
    counts.compute(
        key,
        (k, count) -> {
          AtomicInteger c = count == null ? new AtomicInteger() : count;
          if (c.get() < cap) {
            c.incrementAndGet();
            taken[0] = true;
          }
          return c;
        });
    return taken[0];
  }

  private void decrement(String key) {
    if (key == null) {
      return;
    }
    counts.computeIfPresent(key, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
  }
}
