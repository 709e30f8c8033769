package io.switchboard.broker;

import java.util.List;

/**
 * Who is in a room across the cluster.
 *
 * @param count distinct users
 * @param names display names of at most the requested number of them
 */
public record RoomMembers(int count, List<String> names) {

  public RoomMembers {
    names = List.copyOf(names);
  }
}
