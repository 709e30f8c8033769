package io.switchboard.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.Session;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The TCP connection under an HTTP request or a WebSocket session, where the container lets
 * Switchboard reach it (Payara's Grizzly), so that a peer that stopped reading can be cut for good.
 *
 * <p>Why: a client that stops reading keeps its socket open forever. The server's close frame, or
 * the end of an event stream, waits behind bytes the client never reads, and zero-window probes
 * keep TCP alive; the container holds the connection and its buffers (megabytes) all that time.
 * Neither the WebSocket nor the Servlet API can abort a connection. {@link #abort()} resets it
 * (SO_LINGER 0, then the container's own immediate close), which the container then handles as a
 * client that vanished. It is only ever called after Switchboard stopped writing to the connection,
 * so that no write of Switchboard's can meet the container's recycling of it.
 *
 * <p>On other containers, or if Grizzly or Tyrus change, every connection is {@link #NONE}: it
 * reports itself open, and {@link #abort()} does nothing (one log line says so).
 */
public final class ContainerConnection {

  private static final Logger LOG = Logger.getLogger(ContainerConnection.class.getName());
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  /** A connection Switchboard cannot reach. */
  public static final ContainerConnection NONE = new ContainerConnection(null);

  /** From a Tyrus session to Grizzly's request of the servlet upgrade (Payara). */
  private static final List<String> FROM_SESSION =
      List.of(
          "webSocket",
          "protocolHandler",
          "writer",
          "tyrusHttpUpgradeHandler",
          "getWebConnection()",
          "inputStream",
          "ib",
          "grizzlyRequest");

  /** From a servlet request (Payara's facade) to Grizzly's request. */
  private static final List<String> FROM_SERVLET_REQUEST = List.of("request", "getCoyoteRequest()");

  /** From Grizzly's request to its connection. */
  private static final List<String> FROM_REQUEST = List.of("getContext()", "getConnection()");

  private final Object grizzly;

  private ContainerConnection(Object grizzly) {
    this.grizzly = grizzly;
  }

  /** The connection of a WebSocket session. */
  public static ContainerConnection of(Session session) {
    try {
      Object request = walk(session.getAsyncRemote(), FROM_SESSION);
      return new ContainerConnection(walk(request, FROM_REQUEST));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return unreachable(e);
    }
  }

  /** The connection of an HTTP request (the servlet container's own request object). */
  public static ContainerConnection of(HttpServletRequest servletRequest) {
    try {
      Object request = walk(servletRequest, FROM_SERVLET_REQUEST);
      return new ContainerConnection(walk(request, FROM_REQUEST));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return unreachable(e);
    }
  }

  private static ContainerConnection unreachable(Exception e) {
    if (WARNED.compareAndSet(false, true)) {
      LOG.info(
          "Connections of clients that stop reading cannot be cut on this container ("
              + e
              + "); put a proxy with a send timeout in front");
    }
    return NONE;
  }

  /** Whether the container still has the TCP connection open. */
  public boolean isOpen() {
    if (grizzly == null) {
      return true;
    }
    try {
      return (Boolean) method(grizzly.getClass(), "isOpen").invoke(grizzly);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** Resets the TCP connection at once (RST): its buffers, the kernel's and the container's, go. */
  public void abort() {
    if (grizzly == null) {
      return;
    }
    try {
      Object channel = method(grizzly.getClass(), "getChannel").invoke(grizzly);
      if (channel instanceof SocketChannel socketChannel && socketChannel.isOpen()) {
        Socket socket = socketChannel.socket();
        socket.setSoLinger(true, 0);
      }
      method(grizzly.getClass(), "terminateSilently").invoke(grizzly);
    } catch (ReflectiveOperationException | java.io.IOException | RuntimeException e) {
      LOG.fine(() -> "Cutting a connection failed: " + e);
    }
  }

  /** Follows fields ({@code name}) and no-argument methods ({@code name()}) from {@code start}. */
  private static Object walk(Object start, List<String> steps) throws ReflectiveOperationException {
    Object current = start;
    for (String step : steps) {
      if (current == null) {
        throw new NoSuchFieldException("null before " + step);
      }
      if (step.endsWith("()")) {
        Method method = method(current.getClass(), step.substring(0, step.length() - 2));
        current = method.invoke(current);
      } else {
        current = field(current.getClass(), step).get(current);
      }
    }
    if (current == null) {
      throw new NoSuchFieldException("null at the end of " + steps);
    }
    return current;
  }

  /**
   * The fields and methods {@link #walk} found, per class: looked up once, since a failed lookup (a
   * superclass declares the member) costs an exception, and every connection walks the same
   * classes.
   */
  private static final ClassValue<Map<String, AccessibleObject>> MEMBERS =
      new ClassValue<>() {
        @Override
        protected Map<String, AccessibleObject> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    if (MEMBERS.get(type).get(name) instanceof Field known) {
      return known;
    }
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        Field field = c.getDeclaredField(name);
        field.setAccessible(true);
        MEMBERS.get(type).put(name, field);
        return field;
      } catch (NoSuchFieldException e) {
        // the superclass may have it
      }
    }
    throw new NoSuchFieldException(type.getName() + "." + name);
  }

  private static Method method(Class<?> type, String name) throws NoSuchMethodException {
    String key = name + "()";
    if (MEMBERS.get(type).get(key) instanceof Method known) {
      return known;
    }
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        Method method = c.getDeclaredMethod(name);
        method.setAccessible(true);
        MEMBERS.get(type).put(key, method);
        return method;
      } catch (NoSuchMethodException e) {
        // the superclass may have it
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name + "()");
  }
}
