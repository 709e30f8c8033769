package bench;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.lang.reflect.Field;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The container's own ceiling for the benchmark: every text frame is sent to every connected
 * session, with no rooms, offsets, history, queues or JSON. Like Switchboard, it switches off
 * Tyrus's per-message idle timer, so that the comparison measures Switchboard, not that timer.
 */
@ServerEndpoint("/bare")
public class BareBroadcast {

  private static final Set<Session> SESSIONS = ConcurrentHashMap.newKeySet();

  /** A shut-down scheduler that silently drops what Tyrus schedules on it. */
  private static final ScheduledExecutorService DROPPING = dropping();

  private static ScheduledExecutorService dropping() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
    executor.setRejectedExecutionHandler(new ThreadPoolExecutor.DiscardPolicy());
    executor.shutdown();
    return executor;
  }

  @OnOpen
  public void open(Session session) {
    session.setMaxIdleTimeout(0);
    try {
      Field service = session.getClass().getDeclaredField("service");
      service.setAccessible(true);
      service.set(session, DROPPING);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // other servers: nothing to switch off
    }
    SESSIONS.add(session);
  }

  @OnMessage
  public void message(String text, Session from) {
    for (Session session : SESSIONS) {
      if (session.isOpen()) {
        session.getAsyncRemote().sendText(text);
      }
    }
  }

  @OnClose
  public void close(Session session) {
    SESSIONS.remove(session);
  }
}
