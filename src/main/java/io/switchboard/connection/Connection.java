package io.switchboard.connection;

import io.switchboard.platform.ContainerConnection;
import io.switchboard.platform.TokenBucket;
import io.switchboard.security.Identity;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One WebSocket connection: who it is, its single writer, its rate bucket and the rooms it joined
 * (the connection-to-rooms half of the room index, so a disconnect leaves every room without a
 * scan).
 */
public final class Connection {

  private static final Logger LOG = Logger.getLogger(Connection.class.getName());

  private final String id;
  private final Identity identity;
  private final Session session;
  private final Outbox outbox;
  private final TokenBucket bucket;
  private final TokenBucket bytes;
  private final AbuseWindow abuse;
  private final AbuseWindow bytesAbuse;
  private final Consumer<Connection> release;
  private final Consumer<Connection> afterClose;
  private final ContainerConnection tcp;
  private final Set<String> rooms = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile long lastSeenNanos;

  Connection(
      Session session,
      Identity identity,
      Outbox outbox,
      TokenBucket bucket,
      TokenBucket bytes,
      AbuseWindow abuse,
      AbuseWindow bytesAbuse,
      Consumer<Connection> release,
      Consumer<Connection> afterClose,
      ContainerConnection tcp,
      long nowNanos) {
    this.id = session.getId();
    this.session = session;
    this.identity = identity;
    this.outbox = outbox;
    this.bucket = bucket;
    this.bytes = bytes;
    this.abuse = abuse;
    this.bytesAbuse = bytesAbuse;
    this.release = release;
    this.afterClose = afterClose;
    this.tcp = tcp;
    this.lastSeenNanos = nowNanos;
  }

  public String id() {
    return id;
  }

  public Identity identity() {
    return identity;
  }

  /** Queues a text frame; false when the connection is closing or its queue overflowed. */
  public boolean send(String frame) {
    return outbox.send(frame);
  }

  /** Queues a frame that many connections are sent (encoded once). */
  public boolean send(SharedFrame frame) {
    return outbox.send(frame);
  }

  /**
   * Queues a frame for this connection's writer on the shared executor, never writing it on this
   * thread: what a thread that serves a large room uses (see {@link Outbox#enqueue}).
   */
  public boolean enqueue(SharedFrame frame) {
    return outbox.enqueue(frame);
  }

  /**
   * Queues a marker that runs (quickly, without blocking) once everything queued before it was
   * written: how a replay queues its next page only as the client reads.
   */
  public boolean mark(Runnable reached) {
    return outbox.mark(reached);
  }

  /** Encoded bytes waiting in this connection's outgoing queue. */
  public long queuedBytes() {
    return outbox.queuedBytes();
  }

  public Set<String> rooms() {
    return rooms;
  }

  public boolean isOpen() {
    return !closing.get();
  }

  /**
   * Whether the container closed the TCP connection under a session it still reports open. Tyrus
   * loses the close of a client that aborts while the open handler runs (its read listener is set
   * before the connection it would close exists), and then never calls the close handler.
   */
  public boolean transportGone() {
    return !tcp.isOpen();
  }

  /** The container's TCP connection under this WebSocket. */
  ContainerConnection transport() {
    return tcp;
  }

  void ping() {
    outbox.ping();
  }

  /** Any sign of life from the client: a frame or a pong. */
  public void touch(long nowNanos) {
    lastSeenNanos = nowNanos;
  }

  long lastSeenNanos() {
    return lastSeenNanos;
  }

  TokenBucket bucket() {
    return bucket;
  }

  /** The byte budget of what the client sends (null: none). */
  TokenBucket bytes() {
    return bytes;
  }

  AbuseWindow abuse() {
    return abuse;
  }

  /** Refusals by the byte budget, counted on their own (the message rate's may be lifted). */
  AbuseWindow bytesAbuse() {
    return bytesAbuse;
  }

  Outbox outbox() {
    return outbox;
  }

  /**
   * Starts closing with the contract's code: releases the connection's rooms at once, drops what is
   * queued, and sends the close frame as soon as no write is in flight (a client that stopped
   * reading gets it if it reads again).
   */
  public boolean close(Disconnect reason) {
    if (!closing.compareAndSet(false, true)) {
      return false;
    }
    releaseOnce();
    outbox.closeThen(() -> closeSession(reason));
    afterClose.accept(this); // a client that never lets the close complete is cut later
    return true;
  }

  /**
   * Closes after writing everything already queued (acks included): for a node that shuts down and
   * must not leave an accepted message unacknowledged.
   */
  public boolean closeAfterFlush(Disconnect reason) {
    if (!closing.compareAndSet(false, true)) {
      return false;
    }
    outbox.closeAfterFlush(
        () -> {
          releaseOnce();
          closeSession(reason);
        });
    afterClose.accept(this);
    return true;
  }

  /** Drops what is queued and waits for a write in progress: nothing is written after this. */
  void stopWriting() {
    outbox.close();
  }

  /** The container reports the socket closed (by either side): frees what it held. */
  public void onClosed() {
    closing.set(true);
    releaseOnce();
  }

  private void releaseOnce() {
    if (released.compareAndSet(false, true)) {
      outbox.close();
      release.accept(this);
    }
  }

  private void closeSession(Disconnect reason) {
    try {
      if (session.isOpen()) {
        session.close(reason.closeReason());
      }
    } catch (IOException | RuntimeException e) {
      LOG.fine(() -> "Close of " + id + " failed: " + e);
    }
  }
}
