package io.switchboard.connection;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.logging.Logger;

/**
 * The one place where Switchboard reaches into Tyrus (Payara's WebSocket implementation), resolved
 * when a session opens and a no-op on any other server or if Tyrus changes.
 *
 * <p>Why: Tyrus re-arms its idle-timeout task on every message sent or received, even with the idle
 * timeout disabled, on the container's managed scheduler, which captures the application's context
 * for every task (a class-loader resource scan). Measured on a 1000-member room, that was most of
 * the CPU per delivery. Switchboard runs its own idle timeout (the heartbeat), keeps Tyrus's at 0,
 * and gives each session a scheduler that drops those tasks (and passes every other task on).
 *
 * <p>Guarded: one log line says which path runs and on which Tyrus version (a warning on a version
 * it was not tested on), {@code switchboard_websocket_fast_path} reports it, a test asserts the
 * fast path on the pinned Payara, and {@code switchboard.websocket.portable=true} forces the
 * standard API (tested too).
 *
 * <p>Broadcasts: Tyrus encodes every text frame it sends, recipient by recipient (a new UTF-8
 * charset, a frame object and its bytes per send: a fifth of the CPU per delivery in a 1000-member
 * room). A {@link SharedFrame} is encoded once, and each recipient's write hands the same bytes to
 * the session's protocol handler, the path Tyrus's own {@code Session.broadcast} takes, with the
 * write's completion reported as for {@code sendText}.
 *
 * <p>Tried and removed: cutting the TCP connection of a client that stopped reading, through
 * Grizzly. Touching the connection under Tyrus's feet let the container recycle a response that was
 * still in use, and bytes landed on other clients' sockets.
 */
final class TyrusInternals {

  private static final Logger LOG = Logger.getLogger(TyrusInternals.class.getName());
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  /** The Tyrus versions the fast path was tested on (the pinned Payara's). */
  static final Set<String> TESTED = Set.of("2.1.5.payara-p2");

  /** What WebSocket writes go through on this server. */
  enum Mode {
    /** No WebSocket opened yet. */
    UNKNOWN,
    /** Pre-encoded broadcasts through Tyrus's protocol handler. */
    FAST,
    /** The standard API only: forced by the setting, or the fast path cannot be had here. */
    PORTABLE
  }

  private static volatile boolean forcedPortable;
  private static volatile Mode mode = Mode.UNKNOWN;

  private TyrusInternals() {}

  /** Uses the standard API only when {@code portable} ({@code switchboard.websocket.portable}). */
  static void configure(boolean portable) {
    forcedPortable = portable;
    rawPath = null;
    rawUnavailable = false;
    mode = portable ? Mode.PORTABLE : Mode.UNKNOWN;
    if (portable) {
      LOG.info("WebSockets use the standard API only (switchboard.websocket.portable)");
    }
  }

  static Mode mode() {
    return mode;
  }

  /**
   * Turns the session's idle timeout off and, where Tyrus allows, replaces its scheduler with one
   * that drops Tyrus's idle-timeout tasks (and passes every other task on). The first session also
   * gives the container's shared scheduler that filter, so that later sessions are born with it:
   * Tyrus arms the idle timer already in a session's constructor, and that one task, through the
   * managed scheduler's context capture, cost more than the rest of a handshake.
   */
  static void silenceIdleTimer(Session session) {
    if (!forcedPortable) {
      try {
        filterContainerScheduler(session.getContainer());
        Field service = sessionScheduler;
        if (service == null || !service.getDeclaringClass().isInstance(session)) {
          service = findField(session.getClass(), "service");
          if (service == null
              || !ScheduledExecutorService.class.isAssignableFrom(service.getType())) {
            throw new NoSuchFieldException(session.getClass().getName() + ".service");
          }
          service.setAccessible(true);
          sessionScheduler = service;
        }
        ScheduledExecutorService container = (ScheduledExecutorService) service.get(session);
        if (container != null && !(container instanceof IdleTimerFilter)) {
          service.set(session, IdleTimerFilter.around(container));
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        if (WARNED.compareAndSet(false, true)) {
          LOG.info("Cannot skip the container's per-message idle timer (" + e + ")");
        }
      }
    }
    session.setMaxIdleTimeout(0);
  }

  private static volatile Object filteredContainer;
  private static volatile Field sessionScheduler;

  /**
   * Puts the filter around the managed scheduler of Tyrus's container ({@code
   * BaseContainer.managedScheduledExecutorService}), once per container. Without a managed
   * scheduler Tyrus makes its own plain one, which needs no filter.
   */
  private static void filterContainerScheduler(Object container)
      throws ReflectiveOperationException {
    if (container == null || container == filteredContainer) {
      return;
    }
    synchronized (TyrusInternals.class) {
      if (container == filteredContainer) {
        return;
      }
      Field managed = findField(container.getClass(), "managedScheduledExecutorService");
      if (managed != null && ScheduledExecutorService.class.isAssignableFrom(managed.getType())) {
        managed.setAccessible(true);
        if (managed.get(container) instanceof ScheduledExecutorService scheduler
            && !(scheduler instanceof IdleTimerFilter)) {
          managed.set(container, IdleTimerFilter.around(scheduler));
        }
      }
      filteredContainer = container;
    }
  }

  /** Writes pre-encoded frames to one session, reporting each write's completion. */
  interface RawFrames {
    void send(ByteBuffer frame);
  }

  private static volatile RawPath rawPath;

  /**
   * A way to write {@link SharedFrame}s to the session behind {@code remote}, each completion
   * reported to {@code handler}; null on other containers (the caller then uses sendText).
   */
  static RawFrames rawFrames(RemoteEndpoint.Async remote, SendHandler handler) {
    if (rawUnavailable || forcedPortable) {
      return null;
    }
    try {
      RawPath path = rawPath;
      if (path == null) {
        path = RawPath.resolve(remote);
        rawPath = path;
        announce(remote.getClass());
      }
      return path.attach(remote, handler);
    } catch (ReflectiveOperationException | RuntimeException e) {
      rawUnavailable = true;
      mode = Mode.PORTABLE;
      LOG.info("Broadcasts are encoded per recipient on this container (" + e + ")");
      return null;
    }
  }

  /** One line when the fast path is first taken, a warning on a Tyrus it was not tested on. */
  private static void announce(Class<?> tyrusClass) {
    mode = Mode.FAST;
    String version = tyrusVersion(tyrusClass);
    if (TESTED.contains(version)) {
      LOG.info("WebSocket fast path on Tyrus " + version + ": broadcasts encoded once");
    } else {
      LOG.warning(
          "WebSocket fast path on Tyrus "
              + version
              + ", which it was not tested on (tested: "
              + TESTED
              + "); if WebSockets misbehave, set switchboard.websocket.portable=true");
    }
  }

  /** The version of the Tyrus that {@code tyrusClass} comes from, or "unknown". */
  static String tyrusVersion(Class<?> tyrusClass) {
    try (InputStream in =
        tyrusClass.getResourceAsStream(
            "/META-INF/maven/org.glassfish.tyrus/tyrus-core/pom.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version");
        if (version != null) {
          return version;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall back to the manifest
    }
    Package pkg = tyrusClass.getPackage();
    String version = pkg == null ? null : pkg.getImplementationVersion();
    return version == null ? "unknown" : version;
  }

  /** Set once resolving the raw path failed: other containers do not pay for retrying it. */
  private static volatile boolean rawUnavailable;

  /** The Tyrus members a raw write goes through, resolved once. */
  private record RawPath(
      Field webSocket,
      Field protocolHandler,
      Field lock,
      MethodHandle send,
      Constructor<?> completion,
      Object writerInfo) {

    static RawPath resolve(RemoteEndpoint.Async remote) throws ReflectiveOperationException {
      ClassLoader loader = remote.getClass().getClassLoader();
      Field webSocket = accessible(findField(remote.getClass(), "webSocket"), "webSocket");
      Class<?> handlerType =
          Class.forName("org.glassfish.tyrus.core.ProtocolHandler", false, loader);
      Field protocolHandler =
          accessible(findField(webSocket.getType(), "protocolHandler"), "protocolHandler");
      Field lock = accessible(findField(handlerType, "lock"), "lock");
      Class<?> completionType =
          Class.forName("org.glassfish.tyrus.spi.CompletionHandler", false, loader);
      Class<?> writerInfoType = Class.forName("org.glassfish.tyrus.spi.WriterInfo", false, loader);
      Method send =
          handlerType.getDeclaredMethod(
              "send", ByteBuffer.class, completionType, writerInfoType, Boolean.class);
      send.setAccessible(true);
      MethodHandle handle =
          MethodHandles.lookup()
              .unreflect(send)
              .asType(
                  MethodType.methodType(
                      Object.class,
                      Object.class,
                      ByteBuffer.class,
                      Object.class,
                      Object.class,
                      Object.class));
      // Tyrus's own adapter from its completion handler to a SendHandler (used by sendText).
      Constructor<?> completion = null;
      for (int i = 1; i < 10 && completion == null; i++) {
        Class<?> inner;
        try {
          inner = Class.forName(handlerType.getName() + "$" + i, false, loader);
        } catch (ClassNotFoundException e) {
          continue;
        }
        if (inner.getSuperclass() == completionType) {
          try {
            completion = inner.getDeclaredConstructor(handlerType, SendHandler.class);
          } catch (NoSuchMethodException e) {
            // another anonymous class
          }
        }
      }
      if (completion == null) {
        throw new NoSuchMethodException("ProtocolHandler's SendHandler adapter");
      }
      completion.setAccessible(true);
      Object text = enumConstant(writerInfoType, "MessageType", "TEXT", loader);
      Object async = enumConstant(writerInfoType, "RemoteEndpointType", "ASYNC", loader);
      Object writerInfo =
          writerInfoType.getConstructor(text.getClass(), async.getClass()).newInstance(text, async);
      return new RawPath(webSocket, protocolHandler, lock, handle, completion, writerInfo);
    }

    RawFrames attach(RemoteEndpoint.Async remote, SendHandler handler)
        throws ReflectiveOperationException {
      Object socket = webSocket.get(remote);
      Object protocol = protocolHandler.get(socket);
      Lock sendLock = (Lock) lock.get(protocol);
      Object adapter = completion.newInstance(protocol, handler);
      return frame -> {
        sendLock.lock();
        try {
          Object ignored =
              (Object)
                  send.invokeExact(protocol, frame, adapter, writerInfo, (Object) Boolean.TRUE);
        } catch (RuntimeException | Error e) {
          throw e;
        } catch (Throwable e) {
          throw new IllegalStateException(e);
        } finally {
          sendLock.unlock();
        }
      };
    }

    private static Field accessible(Field field, String name) throws NoSuchFieldException {
      if (field == null) {
        throw new NoSuchFieldException(name);
      }
      field.setAccessible(true);
      return field;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(
        Class<?> owner, String type, String constant, ClassLoader loader)
        throws ClassNotFoundException {
      Class enumType = Class.forName(owner.getName() + "$" + type, false, loader);
      return Enum.valueOf(enumType, constant);
    }
  }

  private static Field findField(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField(name);
      } catch (NoSuchFieldException e) {
        // keep looking in the superclass
      }
    }
    return null;
  }
}
