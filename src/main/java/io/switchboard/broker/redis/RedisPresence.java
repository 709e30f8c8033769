package io.switchboard.broker.redis;

import io.switchboard.broker.BrokerUnavailableException;
import io.switchboard.broker.Member;
import io.switchboard.broker.Presence;
import io.switchboard.broker.RoomMembers;
import io.switchboard.broker.Signal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@link Presence} over Redis: per room, each user's connection count across nodes, and each node's
 * share of it, so that the members of a node that died can be forgotten by the others ({@link
 * #forgetNode}), with leave events for those users.
 */
public final class RedisPresence implements Presence {

  private static final Logger LOG = Logger.getLogger(RedisPresence.class.getName());

  private final RedisStore store;
  private final Keys keys;
  private final String node;

  public RedisPresence(RedisStore store, String keyPrefix, String node) {
    this.store = store;
    this.keys = new Keys(keyPrefix);
    this.node = node;
  }

  private List<String> roomKeys(String room) {
    return List.of(
        keys.users(room),
        keys.connections(room),
        keys.names(room),
        keys.nodeRooms(node),
        keys.presenceRooms());
  }

  @Override
  public boolean enter(String room, Member member) {
    long total =
        store.call(
            j ->
                (Long)
                    store.eval(
                        j,
                        Scripts.ENTER,
                        roomKeys(room),
                        List.of(member.userId(), node, member.user(), room)));
    return total == 1;
  }

  @Override
  public boolean leave(String room, Member member) {
    long total =
        store.call(
            j ->
                (Long)
                    store.eval(
                        j,
                        Scripts.LEAVE,
                        roomKeys(room),
                        List.of(member.userId(), node, member.user(), room)));
    return total == 0;
  }

  @Override
  public RoomMembers members(String room, int maxNames) {
    return store.call(
        j -> {
          long count = j.hlen(keys.users(room));
          List<String> names = new ArrayList<>();
          if (maxNames > 0 && count > 0) {
            ScanResult<Map.Entry<String, String>> page =
                j.hscan(
                    keys.names(room),
                    ScanParams.SCAN_POINTER_START,
                    new ScanParams().count(maxNames));
            for (Map.Entry<String, String> entry : page.getResult()) {
              if (names.size() < maxNames) {
                names.add(entry.getValue());
              }
            }
          }
          return new RoomMembers((int) count, names);
        });
  }

  @Override
  public Map<String, Integer> memberCounts() {
    return store.call(
        j -> {
          Map<String, Integer> counts = new HashMap<>();
          for (String room : j.smembers(keys.presenceRooms())) {
            long count = j.hlen(keys.users(room));
            if (count > 0) {
              counts.put(room, (int) count);
            }
          }
          return counts;
        });
  }

  @Override
  public List<Signal> sync(String room, List<Member> local) {
    Map<String, Member> users = new java.util.LinkedHashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    for (Member member : local) {
      users.putIfAbsent(member.userId(), member);
      counts.merge(member.userId(), 1, Integer::sum);
    }
    List<String> args = new ArrayList<>(List.of(node, room));
    users.forEach(
        (userId, member) -> {
          args.add(userId);
          args.add(member.user());
          args.add(Integer.toString(counts.get(userId)));
        });
    List<?> changed = store.call(j -> (List<?>) store.eval(j, Scripts.SYNC, roomKeys(room), args));
    List<Signal> signals = new ArrayList<>();
    for (int i = 0; i + 2 < changed.size(); i += 3) {
      signals.add(
          new Signal(
              room,
              "J".equals(RedisStore.text(changed.get(i))) ? Signal.Kind.JOIN : Signal.Kind.LEAVE,
              RedisStore.text(changed.get(i + 2)),
              RedisStore.text(changed.get(i + 1))));
    }
    return signals;
  }

  /**
   * Forgets every connection a node had (it died, or this node restarts with the same id) and
   * reports each user who thereby left a room.
   */
  public void forgetNode(String deadNode, Consumer<Signal> leftEvents) {
    try {
      java.util.Set<String> rooms = new java.util.HashSet<>();
      store.call(
          j -> {
            rooms.addAll(j.hkeys(keys.nodeRooms(deadNode)));
            rooms.addAll(j.smembers(keys.legacyNodeRooms(deadNode)));
            return null;
          });
      for (String room : rooms) {
        List<?> left =
            store.call(
                j ->
                    (List<?>)
                        store.eval(
                            j,
                            Scripts.FORGET_NODE,
                            List.of(
                                keys.users(room),
                                keys.connections(room),
                                keys.names(room),
                                keys.presenceRooms()),
                            List.of(deadNode, room)));
        for (int i = 0; i + 1 < left.size(); i += 2) {
          leftEvents.accept(
              new Signal(
                  room,
                  Signal.Kind.LEAVE,
                  RedisStore.text(left.get(i + 1)),
                  RedisStore.text(left.get(i))));
        }
      }
      store.call(j -> j.del(keys.nodeRooms(deadNode), keys.legacyNodeRooms(deadNode)));
    } catch (BrokerUnavailableException e) {
      LOG.fine(() -> "Cleaning up after node " + deadNode + " postponed: " + e.getMessage());
    }
  }
}
