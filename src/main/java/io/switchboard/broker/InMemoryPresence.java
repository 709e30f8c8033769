package io.switchboard.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Presence} for a single node: everything is in this JVM. Like the Redis one, it counts a
 * user's entered connections per room: every enter is undone by one leave.
 */
public final class InMemoryPresence implements Presence {

  /** room -> userId -> how many of that user's connections are in the room. */
  private final ConcurrentHashMap<String, Map<String, UserConnections>> rooms =
      new ConcurrentHashMap<>();

  private static final class UserConnections {
    final String name;
    int connections;

    UserConnections(String name) {
      this.name = name;
    }
  }

  @Override
  public boolean enter(String room, Member member) {
    boolean[] first = {false};
    rooms.compute(
        room,
        (r, users) -> {
          Map<String, UserConnections> map = users == null ? new LinkedHashMap<>() : users;
          UserConnections user =
              map.computeIfAbsent(member.userId(), id -> new UserConnections(member.user()));
          first[0] = user.connections++ == 0;
          return map;
        });
    return first[0];
  }

  @Override
  public boolean leave(String room, Member member) {
    boolean[] last = {false};
    rooms.computeIfPresent(
        room,
        (r, users) -> {
          UserConnections user = users.get(member.userId());
          if (user != null && --user.connections == 0) {
            users.remove(member.userId());
            last[0] = true;
          }
          return users.isEmpty() ? null : users;
        });
    return last[0];
  }

  @Override
  public RoomMembers members(String room, int maxNames) {
    List<String> names = new ArrayList<>();
    int[] count = {0};
    rooms.computeIfPresent(
        room,
        (r, users) -> {
          count[0] = users.size();
          for (UserConnections user : users.values()) {
            if (names.size() >= maxNames) {
              break;
            }
            names.add(user.name);
          }
          return users;
        });
    return new RoomMembers(count[0], names);
  }

  /** Nothing to do: in memory, no enter or leave is ever lost. */
  @Override
  public List<Signal> sync(String room, List<Member> local) {
    return List.of();
  }

  @Override
  public Map<String, Integer> memberCounts() {
    Map<String, Integer> counts = new HashMap<>();
    rooms.forEach((room, users) -> counts.put(room, members(room, 0).count()));
    counts.values().removeIf(c -> c == 0);
    return counts;
  }
}
