package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InMemoryPresenceTest {

  private final Presence presence = new InMemoryPresence();

  @Test
  void aUserIsOneMemberWhateverItsConnections() {
    assertThat(presence.enter("r", new Member("bob", "Bob", "c1"))).isTrue();
    assertThat(presence.enter("r", new Member("bob", "Bob", "c2"))).isFalse();
    assertThat(presence.enter("r", new Member("amy", "Amy", "c3"))).isTrue();
    RoomMembers members = presence.members("r", 100);
    assertThat(members.count()).isEqualTo(2);
    assertThat(members.names()).containsExactlyInAnyOrder("Bob", "Amy");
    assertThat(presence.members("r", 1).names()).hasSize(1);
    assertThat(presence.memberCounts()).containsEntry("r", 2);
  }

  @Test
  void theLastConnectionLeavingIsReportedOnce() {
    presence.enter("r", new Member("bob", "Bob", "c1"));
    presence.enter("r", new Member("bob", "Bob", "c2"));
    assertThat(presence.leave("r", new Member("bob", "Bob", "c1"))).isFalse();
    assertThat(presence.leave("r", new Member("bob", "Bob", "c2"))).isTrue();
    assertThat(presence.leave("r", new Member("bob", "Bob", "c2"))).isFalse();
    assertThat(presence.members("r", 10).count()).isZero();
    assertThat(presence.memberCounts()).doesNotContainKey("r");
  }
}
