package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Presence} does, run against each implementation. One node's view: each enter of
 * a connection is matched by one leave of it (as the rooms of a node call them).
 */
public interface PresenceContract {

  /** A fresh, empty presence (one node). */
  Presence presence();

  private static Member bob(String connection) {
    return new Member("bob", "Bob", connection);
  }

  @Test
  default void aUsersFirstConnectionEntersAndItsLastLeaves() {
    Presence presence = presence();
    assertThat(presence.enter("r", bob("c1"))).as("first connection").isTrue();
    assertThat(presence.enter("r", bob("c2"))).as("second connection").isFalse();
    assertThat(presence.leave("r", bob("c1"))).as("one left, one stays").isFalse();
    assertThat(presence.members("r", 10).names()).containsExactly("Bob");
    assertThat(presence.leave("r", bob("c2"))).as("last connection").isTrue();
    assertThat(presence.members("r", 10).count()).isZero();
    assertThat(presence.memberCounts()).doesNotContainKey("r");
  }

  @Test
  default void membersAreDistinctUsersWithAtMostTheAskedNames() {
    Presence presence = presence();
    presence.enter("r", bob("c1"));
    presence.enter("r", bob("c2"));
    presence.enter("r", new Member("amy", "Amy", "c3"));
    presence.enter("r", new Member("cid", "Cid", "c4"));
    presence.enter("other", new Member("amy", "Amy", "c3"));

    RoomMembers members = presence.members("r", 2);
    assertThat(members.count()).isEqualTo(3);
    assertThat(members.names()).hasSize(2).isSubsetOf("Bob", "Amy", "Cid");
    assertThat(presence.memberCounts()).containsEntry("r", 3).containsEntry("other", 1);
  }

  @Test
  default void aRepeatedEnterOfOneConnectionNeedsItsOwnLeave() {
    Presence presence = presence();
    assertThat(presence.enter("r", bob("c1"))).isTrue();
    assertThat(presence.enter("r", bob("c1"))).isFalse();
    assertThat(presence.leave("r", bob("c1"))).isFalse();
    assertThat(presence.members("r", 10).count()).isEqualTo(1);
    assertThat(presence.leave("r", bob("c1"))).isTrue();
    assertThat(presence.members("r", 10).count()).isZero();
  }

  @Test
  default void leavingARoomNeverEnteredChangesNothing() {
    Presence presence = presence();
    presence.enter("r", bob("c1"));
    assertThat(presence.leave("r", new Member("amy", "Amy", "c9"))).isFalse();
    assertThat(presence.leave("elsewhere", bob("c1"))).isFalse();
    assertThat(presence.members("r", 10).names()).containsExactly("Bob");
    assertThat(presence.memberCounts()).containsOnlyKeys("r");
    assertThat(presence.enter("elsewhere", bob("c1"))).as("no count went below zero").isTrue();
  }

  @Test
  default void aSyncWithWhatIsThereChangesNothingAndSaysNothing() {
    Presence presence = presence();
    presence.enter("r", bob("c1"));
    presence.enter("r", new Member("amy", "Amy", "c2"));
    List<Signal> signals = presence.sync("r", List.of(bob("c1"), new Member("amy", "Amy", "c2")));
    assertThat(signals).isEmpty();
    assertThat(presence.members("r", 10).count()).isEqualTo(2);
  }
}
