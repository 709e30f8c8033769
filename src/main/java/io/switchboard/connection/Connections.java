package io.switchboard.connection;

import io.switchboard.broker.UserRates;
import io.switchboard.config.Settings;
import io.switchboard.platform.ContainerConnection;
import io.switchboard.platform.TokenBucket;
import io.switchboard.platform.Workers;
import io.switchboard.security.Identity;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Every open WebSocket of this node: opens them with their limits, rate-limits their frames, pings
 * them, closes the idle and the stalled, and counts what they were sent.
 */
@ApplicationScoped
public class Connections {

  private static final Logger LOG = Logger.getLogger(Connections.class.getName());
  private static final long ABUSE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

  /**
   * Byte-budget refusals within the abuse window that close a connection (4008): as many as the
   * message rate's default (3 × a burst of 20), whatever the message rate is set to.
   */
  static final int BYTE_REFUSALS = 60;

  @Inject Settings settings;
  @Inject Workers workers;

  private final ConcurrentHashMap<String, Connection> open = new ConcurrentHashMap<>();
  @Inject UserRates userRates;

  private final LongAdder framesOut = new LongAdder();
  private final LongAdder slowConsumers = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder cuts = new LongAdder();
  private final LongAdder orphans = new LongAdder();

  @PostConstruct
  void start() {
    TyrusInternals.configure(settings.websocketPortable());
    workers.every(settings.heartbeatSeconds() * 1000L, "WebSocket heartbeat", this::heartbeat);
  }

  /**
   * Registers a new connection with the configured limits.
   *
   * @param release frees what the connection holds (rooms, presence); called once, as soon as the
   *     connection starts closing or has closed, whichever comes first
   */
  public Connection open(Session session, Identity identity, Consumer<Connection> release) {
    session.setMaxTextMessageBufferSize(settings.maxFrameBytes());
    session.setMaxBinaryMessageBufferSize(settings.maxFrameBytes());
    TyrusInternals.silenceIdleTimer(session); // idle clients are closed by our heartbeat
    ContainerConnection tcp = ContainerConnection.of(session);
    Connection[] self = new Connection[1];
    Outbox outbox =
        new Outbox(
            session.getAsyncRemote(),
            settings.clientMaxQueued(),
            settings.clientMaxQueuedBytes(),
            workers.writers(),
            new Outbox.Listener() {
              @Override
              public void onOverflow() {
                slowConsumers.increment();
                close(self[0], Disconnect.SLOW_CONSUMER);
              }

              @Override
              public void onWriteFailed(Throwable cause) {
                LOG.fine(() -> "Write to " + session.getId() + " failed: " + cause);
                close(self[0], Disconnect.NORMAL);
              }

              @Override
              public void onSent(int frames) {
                framesOut.add(frames);
              }

              @Override
              public void onDropped(int frames) {
                dropped.add(frames);
              }
            });
    Connection connection =
        new Connection(
            session,
            identity,
            outbox,
            newBucket(),
            newByteBucket(),
            new AbuseWindow(3 * settings.rateBurst(), ABUSE_WINDOW_NANOS),
            new AbuseWindow(BYTE_REFUSALS, ABUSE_WINDOW_NANOS),
            c -> {
              release.accept(c);
              forget(c);
            },
            this::cutIfStillOpen,
            tcp,
            System.nanoTime());
    self[0] = connection;
    open.put(connection.id(), connection);
    return connection;
  }

  private TokenBucket newBucket() {
    return new TokenBucket(settings.ratePerSecond(), settings.rateBurst(), System::nanoTime);
  }

  /** Bytes per second, with a burst of four of the largest frames (or a second's worth). */
  private TokenBucket newByteBucket() {
    int perSecond = settings.limits().bytesPerSecond();
    if (perSecond == 0) {
      return null;
    }
    int burst = Math.max(perSecond, 4 * settings.maxFrameBytes());
    return new TokenBucket(perSecond, burst, System::nanoTime);
  }

  private void forget(Connection connection) {
    open.remove(connection.id(), connection);
  }

  /**
   * Charges one frame to the connection's and its user's buckets.
   *
   * @return 0 when the frame may pass; otherwise the milliseconds until one would, negated when
   *     this refusal is one too many (the caller answers it, then {@link #closeAbusive closes})
   */
  public long admit(Connection connection) {
    long wait = connection.bucket().delayMillis();
    if (wait == 0) {
      wait = userRates.take(connection.identity().userId());
      if (wait == 0) {
        connection.bucket().take();
        return 0;
      }
    }
    return refused(connection, wait);
  }

  /**
   * Charges a frame's bytes (every frame, pings too) to the connection's byte budget; answers as
   * {@link #admit}.
   */
  public long admitBytes(Connection connection, long bytes) {
    TokenBucket budget = connection.bytes();
    long wait = budget == null ? 0 : budget.tryTake(bytes);
    return wait == 0 ? 0 : refused(connection.bytesAbuse(), wait);
  }

  private static long refused(Connection connection, long wait) {
    return refused(connection.abuse(), wait);
  }

  private static long refused(AbuseWindow abuse, long wait) {
    return abuse.record(System.nanoTime()) ? -wait : wait;
  }

  /**
   * Closes a connection that was refused too often (4008), after the answers already queued for it
   * (the client reads every {@code rate_limited} it was sent, then the close).
   */
  public void closeAbusive(Connection connection) {
    connection.closeAfterFlush(Disconnect.RATE_LIMITED);
  }

  /**
   * Refuses a connection that was just opened (4001, 4002, 4003, 1008, 1012), a moment after its
   * open handler returned. Why not at once: closing from inside the open handler made Payara end
   * and recycle the upgrade request while it was still being processed, which broke other requests
   * (seen as 500s, lost frames and "context is null" in the container).
   */
  public void refuse(Session session, Disconnect reason) {
    workers
        .scheduler()
        .schedule(
            () -> {
              try {
                if (session.isOpen()) {
                  session.close(reason.closeReason());
                }
              } catch (Exception e) {
                LOG.fine(() -> "Refusing " + session.getId() + " failed: " + e);
              }
            },
            REFUSE_DELAY_MILLIS,
            TimeUnit.MILLISECONDS);
  }

  /**
   * After Switchboard closed a connection: a client that has not let the close complete within the
   * close timeout (it stopped reading, so the close frame waits behind what it never read) loses
   * its TCP connection, and the container everything it held for it.
   */
  private void cutIfStillOpen(Connection connection) {
    ContainerConnection tcp = connection.transport();
    if (tcp == ContainerConnection.NONE) {
      return;
    }
    workers
        .scheduler()
        .schedule(
            () -> {
              if (tcp.isOpen()) {
                cuts.increment();
                LOG.fine(() -> "Cutting " + connection.id() + ": it did not complete its close");
                connection.stopWriting(); // no write of ours may meet the container's cleanup
                tcp.abort();
              }
            },
            settings.writeTimeoutSeconds(),
            TimeUnit.SECONDS);
  }

  /** Connections whose TCP connection was cut after their close timed out, since start. */
  public long cuts() {
    return cuts.sum();
  }

  /** Whether WebSocket writes take Tyrus's fast path (false before the first connection). */
  public boolean fastPath() {
    return TyrusInternals.mode() == TyrusInternals.Mode.FAST;
  }

  /** Connections freed by the heartbeat because the container lost their close. */
  public long orphans() {
    return orphans.sum();
  }

  /** How long after the open handler a refused connection is closed. */
  static final long REFUSE_DELAY_MILLIS = 50;

  /** Closes with the contract's code (see {@link Connection#close}). */
  public void close(Connection connection, Disconnect reason) {
    if (connection != null) {
      connection.close(reason);
    }
  }

  void heartbeat() {
    long now = System.nanoTime();
    long idleNanos = TimeUnit.SECONDS.toNanos(settings.idleTimeoutSeconds());
    for (Connection connection : open.values()) {
      if (now - connection.lastSeenNanos() > idleNanos) {
        close(connection, Disconnect.IDLE_TIMEOUT);
      } else if (connection.transportGone()) {
        orphans.increment();
        close(connection, Disconnect.NORMAL); // the container lost its close: free it now
      } else {
        connection.ping();
      }
    }
  }

  /** Closes every connection after what it was already sent (shutdown: 1012). */
  public void closeAllAfterFlush(Disconnect reason) {
    open.values().forEach(c -> c.closeAfterFlush(reason));
  }

  public Collection<Connection> all() {
    return open.values();
  }

  /** The open connections of one user on this node (a scan: for the server API's rare calls). */
  public List<Connection> of(String userId) {
    return open.values().stream().filter(c -> c.identity().userId().equals(userId)).toList();
  }

  public int count() {
    return open.size();
  }

  /** Frames written to this node's WebSocket clients since start. */
  public long framesOut() {
    return framesOut.sum();
  }

  /** Frames refused or discarded by closing or overflowing connections since start. */
  public long framesDropped() {
    return dropped.sum();
  }

  /** Connections closed with 4009 since start. */
  public long slowConsumers() {
    return slowConsumers.sum();
  }
}
