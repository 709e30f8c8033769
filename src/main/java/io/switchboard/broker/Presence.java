package io.switchboard.broker;

import java.util.List;
import java.util.Map;

/**
 * Who is in which room, across the cluster, counted by user: a user with three connections in a
 * room is one member.
 *
 * <p>{@link #enter} and {@link #leave} tell the caller when a user's first connection entered or
 * its last one left, which is when a presence event is due. An implementation shared by several
 * nodes also forgets the members of a node that stopped without saying goodbye, within a bounded
 * time, and raises the leave events for them itself.
 *
 * <p>Implementations: {@link InMemoryPresence} (one node) and the Redis one.
 */
public interface Presence {

  /** Records the connection; true when it is the user's first connection in the room. */
  boolean enter(String room, Member member);

  /** Forgets the connection; true when it was the user's last connection in the room. */
  boolean leave(String room, Member member);

  /** The room's distinct users, with at most {@code maxNames} display names. */
  RoomMembers members(String room, int maxNames);

  /** Distinct users per room, for every room that has members. */
  Map<String, Integer> memberCounts();

  /**
   * Makes this node's share of the room's members exactly {@code local} (one entry per connection).
   * Called after the shared store was unreachable (enters and leaves may have been lost) or after
   * other nodes took this node for dead. Returns the presence events this caused (users who are in
   * the room again, or no longer), for the caller to send.
   */
  List<Signal> sync(String room, List<Member> local);
}
