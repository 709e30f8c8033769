package io.switchboard.chat.control;

import io.switchboard.broker.Bans;
import io.switchboard.broker.Broker;
import io.switchboard.broker.BrokerUnavailableException;
import io.switchboard.broker.ChatDraft;
import io.switchboard.broker.Command;
import io.switchboard.broker.Signal;
import io.switchboard.chat.entity.ChatActivity;
import io.switchboard.chat.entity.ClientFrame;
import io.switchboard.chat.entity.ErrorCode;
import io.switchboard.chat.entity.FrameException;
import io.switchboard.chat.entity.ServerFrames;
import io.switchboard.config.Settings;
import io.switchboard.connection.Connection;
import io.switchboard.connection.Connections;
import io.switchboard.connection.Disconnect;
import io.switchboard.platform.Json;
import io.switchboard.platform.QueryString;
import io.switchboard.platform.Workers;
import io.switchboard.security.Identity;
import io.switchboard.security.Names;
import io.switchboard.security.Rejection;
import io.switchboard.security.control.Admission;
import io.switchboard.security.control.Authenticator;
import io.switchboard.security.control.CredentialExpiry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The chat protocol of one node: what each client frame does, and which error or close code a
 * client gets when it cannot be done. Endpoints only decode and delegate here.
 */
@ApplicationScoped
public class ChatService {

  private static final Logger LOG = Logger.getLogger(ChatService.class.getName());
  private static final long UNAVAILABLE_RETRY_MS = 1000;

  @Inject Settings settings;
  @Inject Connections connections;
  @Inject Rooms rooms;
  @Inject Broker broker;
  @Inject Admission admission;
  @Inject Workers workers;
  @Inject Event<ChatActivity> activity;
  @Inject Publisher publisher;
  @Inject FrameGate gate;
  @Inject Authenticator authenticator;
  @Inject CredentialExpiry expiry;
  @Inject Bans bans;

  /** The expiry watch of each connection opened with an expiring token. */
  private final Map<Connection, CredentialExpiry.Watch> watches = new ConcurrentHashMap<>();

  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean draining;

  /**
   * Opens a chat connection: identifies it, says {@code welcome}, and joins the path's room if
   * there is one. Returns null when the connection was refused (and closed with its code).
   */
  public Connection open(Session session, String pathRoom) {
    Map<String, List<String>> query = QueryString.parse(session.getQueryString());
    if (draining) {
      connections.refuse(session, Disconnect.SERVICE_RESTART);
      return null;
    }
    Admission.Admitted admitted;
    try {
      admitted = admission.admit(query);
    } catch (Rejection r) {
      connections.refuse(session, Disconnect.of(r.reason()));
      return null;
    }
    Identity identity = admitted.identity();
    Disconnect refusal =
        pathRoom != null && !Names.isRoom(pathRoom)
            ? Disconnect.INVALID_ROOM
            : pathRoom != null && !identity.mayJoin(pathRoom) ? Disconnect.FORBIDDEN_ROOM : null;
    if (refusal != null) {
      admitted.release().run();
      connections.refuse(session, refusal);
      return null;
    }
    Connection connection =
        connections.open(
            session,
            identity,
            c -> {
              admitted.release().run();
              CredentialExpiry.Watch watch = watches.remove(c);
              if (watch != null) {
                watch.cancel();
              }
              // Leaving its rooms touches Redis: never on the thread that closed the connection.
              workers.releases().execute(() -> rooms.leaveAll(c));
            });
    connection.send(
        Json.get()
            .write(
                new ServerFrames.Welcome(identity.user(), identity.userId(), settings.nodeId())));
    if (identity.expires() != null) {
      watch(connection, identity.expires());
    }
    if (pathRoom != null) {
      try {
        ClientFrame.Join join =
            new ClientFrame.Join(
                pathRoom,
                QueryJoin.since(query),
                QueryJoin.epoch(query),
                QueryJoin.history(query),
                null);
        handle(connection, join, pathRoom);
      } catch (FrameException e) {
        sendError(connection, e.code(), e.getMessage(), null, null);
      }
    }
    return connection;
  }

  /** Handles one text frame of a chat connection. */
  public void onText(Connection connection, String text, String pathRoom) {
    if (!gate.admitFrame(connection, text)) {
      return;
    }
    ClientFrame frame;
    try {
      frame = FrameReader.read(text);
    } catch (FrameException e) {
      if (gate.admitRate(connection, e.frameId())) {
        sendError(connection, e.code(), e.getMessage(), e.frameId(), null);
      }
      return;
    }
    if (frame instanceof ClientFrame.Ping) {
      connection.send(ServerFrames.PONG);
      return;
    }
    if (!gate.admitRate(connection, frame.id())) {
      return;
    }
    inFlight.incrementAndGet();
    try {
      if (draining && frame instanceof ClientFrame.Chat) {
        throw new BrokerUnavailableException("draining", UNAVAILABLE_RETRY_MS, null);
      }
      handle(connection, frame, pathRoom);
    } catch (FrameException e) {
      sendError(connection, e.code(), e.getMessage(), e.frameId(), null);
    } catch (BrokerUnavailableException e) {
      sendError(
          connection,
          ErrorCode.UNAVAILABLE,
          "The service cannot store messages right now; try again",
          frame.id(),
          e.retryAfterMs());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Frame of connection " + connection.id() + " failed", e);
      sendError(connection, ErrorCode.INTERNAL, "Internal error", frame.id(), null);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /**
   * From now on: new connections are refused with 1012 and chat messages are answered {@code
   * unavailable}; waits (bounded) until the frames being handled are done, so that every message
   * accepted so far has its ack queued.
   */
  public void drain(long timeoutMillis) {
    draining = true;
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Listens for the server API's commands. The bean starts with the node's first connection, so no
   * command can find a connection here before it listens.
   */
  @PostConstruct
  void listen() {
    broker.subscribeCommands(
        command -> {
          if (command.kind() == Command.Kind.DISCONNECT) {
            workers.releases().execute(() -> disconnect(command.userId()));
          } else if (command.kind() == Command.Kind.REMOVE) {
            workers.releases().execute(() -> remove(command.room(), command.userId()));
          }
        });
  }

  /** Closes every connection of the user on this node with 4010. */
  private void disconnect(String userId) {
    List<Connection> closed = connections.of(userId);
    closed.forEach(c -> connections.close(c, Disconnect.DISCONNECTED));
    if (!closed.isEmpty()) {
      LOG.info("Closed " + closed.size() + " connections of a disconnected user (4010)");
    }
  }

  /** Takes the user's connections on this node out of the room ({@code left}, removed). */
  private void remove(String room, String userId) {
    for (Connection connection : connections.of(userId)) {
      try {
        if (rooms.leave(connection, room)) {
          connection.send(Json.get().write(new ServerFrames.Left(room, "removed")));
        }
      } catch (RuntimeException e) {
        // Redis is unreachable: the member left here; its presence entry expires on its own.
        LOG.log(Level.FINE, "Presence of a removed member not updated", e);
      }
    }
  }

  /** Closes the connection with 4004 when its token ends, after warning it with expiring. */
  private void watch(Connection connection, java.time.Instant exp) {
    CredentialExpiry.Watch watch =
        expiry.watch(
            exp,
            new CredentialExpiry.Holder() {
              @Override
              public void expiring(java.time.Instant at) {
                connection.send(Json.get().write(new ServerFrames.Expiring(at.getEpochSecond())));
              }

              @Override
              public void expired() {
                connections.close(connection, Disconnect.TOKEN_EXPIRED);
              }
            });
    watches.put(connection, watch);
    if (!connection.isOpen()) {
      watches.remove(connection); // closed meanwhile: its release may have run before the put
      watch.cancel();
    }
  }

  /**
   * A newer token for the connection's user: the connection now lasts until its {@code exp}. A
   * token that is not valid, or is another user's, changes nothing.
   */
  private void refresh(Connection connection, ClientFrame.Refresh refresh) {
    if (authenticator.guestMode()) {
      throw new FrameException(
          ErrorCode.BAD_REQUEST, "Guest mode: there is no token to refresh", refresh.id());
    }
    Identity newer;
    try {
      newer = authenticator.verify(refresh.token());
    } catch (Rejection r) {
      if (r.reason() == Rejection.Reason.UNAVAILABLE) {
        sendError(
            connection,
            ErrorCode.UNAVAILABLE,
            "The token cannot be checked right now; try again",
            refresh.id(),
            UNAVAILABLE_RETRY_MS);
        return;
      }
      throw new FrameException(ErrorCode.INVALID_TOKEN, "The token is not valid", refresh.id());
    }
    if (!newer.userId().equals(connection.identity().userId())) {
      throw new FrameException(
          ErrorCode.INVALID_TOKEN, "The token is another user's", refresh.id());
    }
    CredentialExpiry.Watch watch = watches.get(connection);
    if (watch == null) {
      if (newer.expires() != null) {
        watch(connection, newer.expires());
      }
    } else if (!watch.refresh(newer.expires())) {
      return; // it expired just now: 4004 is on its way
    }
    Long exp = newer.expires() == null ? null : newer.expires().getEpochSecond();
    connection.send(Json.get().write(new ServerFrames.Refreshed(exp, refresh.id())));
  }

  private void handle(Connection connection, ClientFrame frame, String pathRoom) {
    if (frame instanceof ClientFrame.Refresh refresh) {
      refresh(connection, refresh);
    } else if (frame instanceof ClientFrame.Join join) {
      join(connection, join, pathRoom);
    } else if (frame instanceof ClientFrame.Leave leave) {
      String room = roomOf(connection, leave.room(), pathRoom, leave.id());
      if (!rooms.leave(connection, room)) {
        throw notJoined(room, leave.id());
      }
      connection.send(Json.get().write(new ServerFrames.Left(room)));
    } else if (frame instanceof ClientFrame.Chat chat) {
      chat(connection, chat, pathRoom);
    } else if (frame instanceof ClientFrame.Typing typing) {
      String room = joinedRoom(connection, typing.room(), pathRoom, typing.id());
      Identity who = connection.identity();
      broker.signal(new Signal(room, Signal.Kind.TYPING, who.user(), who.userId()));
    } else {
      connection.send(ServerFrames.PONG);
    }
  }

  private void join(Connection connection, ClientFrame.Join join, String pathRoom) {
    String room = join.room() != null ? join.room() : pathRoom;
    if (room == null) {
      throw new FrameException(ErrorCode.BAD_REQUEST, "'room' is required", join.id());
    }
    if (!connection.identity().mayJoin(room)) {
      throw new FrameException(ErrorCode.FORBIDDEN, "You may not join " + room, join.id());
    }
    if (bans.isBanned(room, connection.identity().userId())) {
      throw new FrameException(
          ErrorCode.FORBIDDEN,
          "You were removed from " + room + " and may not join it yet",
          join.id());
    }
    int cap = settings.limits().roomsPerConnection();
    if (cap > 0 && connection.rooms().size() >= cap && !connection.rooms().contains(room)) {
      throw new FrameException(
          ErrorCode.LIMIT_EXCEEDED,
          "A connection may be in at most " + cap + " rooms at once; leave one first",
          join.id());
    }
    rooms.join(connection, room, join);
  }

  private void chat(Connection connection, ClientFrame.Chat chat, String pathRoom) {
    String room = joinedRoom(connection, chat.room(), pathRoom, chat.id());
    String id = chat.id() != null ? chat.id() : publisher.newId();
    Identity who = connection.identity();
    // Every message has a dedup key (the sender and its id, the client's or one made here): a
    // repeat of a client id within the window is answered with the original's offset, and a
    // publish whose outcome was lost can be made again safely.
    ChatDraft draft =
        new ChatDraft(room, id, who.user(), who.userId(), chat.message(), dedupKey(who, id));
    // Stored without holding this connection's reading: with Redis, the messages of a busy node
    // share round trips (see PublishPipeline); the ack (or the error) follows when it is stored,
    // in the order the messages came. Drain waits for it (inFlight).
    inFlight.incrementAndGet();
    publisher
        .publish(draft)
        .whenComplete(
            (stored, failure) -> {
              try {
                if (failure == null) {
                  connection.send(
                      Json.get().write(new ServerFrames.Ack(id, room, stored.offset())));
                  activity.fire(ChatActivity.ACK_SENT);
                } else {
                  notStored(connection, chat.id(), failure);
                }
              } finally {
                inFlight.decrementAndGet();
              }
            });
  }

  /** A chat message's dedup key: its sender and its id. */
  static String dedupKey(Identity who, String id) {
    return "u:" + who.userId() + "\n" + id;
  }

  /** Tells the sender that its message was not stored. */
  private void notStored(Connection connection, String id, Throwable failure) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof BrokerUnavailableException e) {
      sendError(
          connection,
          ErrorCode.UNAVAILABLE,
          "The service cannot store messages right now; try again",
          id,
          e.retryAfterMs());
    } else {
      LOG.log(
          Level.WARNING, "Storing a message of connection " + connection.id() + " failed", cause);
      sendError(connection, ErrorCode.INTERNAL, "Internal error", id, null);
    }
  }

  /** The room a frame is about: its own, else the path's, else the only joined one. */
  private static String roomOf(Connection connection, String room, String pathRoom, String id) {
    if (room != null) {
      return room;
    }
    if (pathRoom != null) {
      return pathRoom;
    }
    List<String> joined = List.copyOf(connection.rooms());
    if (joined.size() == 1) {
      return joined.get(0);
    }
    throw new FrameException(
        ErrorCode.BAD_REQUEST,
        joined.isEmpty()
            ? "'room' is required: no room is joined"
            : "'room' is required: several rooms are joined",
        id);
  }

  private static String joinedRoom(Connection connection, String room, String pathRoom, String id) {
    String resolved = roomOf(connection, room, pathRoom, id);
    if (!connection.rooms().contains(resolved)) {
      throw notJoined(resolved, id);
    }
    return resolved;
  }

  private static FrameException notJoined(String room, String id) {
    return new FrameException(ErrorCode.NOT_JOINED, "Not joined to " + room, id);
  }

  private static void sendError(
      Connection connection, ErrorCode code, String message, String id, Long retryAfterMs) {
    FrameGate.sendError(connection, code, message, id, retryAfterMs);
  }

  /** Closes the connection with its code (binary frame, oversized frame). */
  public void reject(Connection connection, Disconnect reason) {
    connections.close(connection, reason);
  }
}
