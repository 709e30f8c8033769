package io.switchboard.security.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.config.Settings;
import io.switchboard.security.Identity;
import org.junit.jupiter.api.Test;

class ClientSlotsTest {

  private final ClientSlots slots = new ClientSlots();

  ClientSlotsTest() {
    slots.limit(new Settings.Limits(0, 3, 2, 1, 0, 0, 0, 0));
  }

  private static Identity user(String id) {
    return Identity.guest(id);
  }

  @Test
  void anAddressHoldsAtMostItsCapAndAReleasedSlotIsFreeAgain() throws Exception {
    ClientSlots.Lease first = slots.acquire(ClientSlots.Kind.WEBSOCKET, "10.0.0.1", user("a"));
    slots.acquire(ClientSlots.Kind.WEBSOCKET, "10.0.0.1", user("b"));
    slots.acquire(ClientSlots.Kind.WEBSOCKET, "10.0.0.1", user("c"));
    assertThatThrownBy(() -> slots.acquire(ClientSlots.Kind.WEBSOCKET, "10.0.0.1", user("d")))
        .isInstanceOf(ClientSlots.Refused.class)
        .hasMessageContaining("address");
    assertThat(slots.acquire(ClientSlots.Kind.WEBSOCKET, "10.0.0.2", user("d"))).isNotNull();
    first.release();
    first.release(); // once only
    assertThat(slots.held("WEBSOCKET|a|10.0.0.1")).isEqualTo(2);
    assertThat(slots.acquire(ClientSlots.Kind.WEBSOCKET, "10.0.0.1", user("d"))).isNotNull();
  }

  @Test
  void aUserHoldsAtMostItsCapFromAnyAddressAndARefusalTakesNothing() throws Exception {
    slots.acquire(ClientSlots.Kind.WEBSOCKET, "10.0.1.1", user("u"));
    slots.acquire(ClientSlots.Kind.WEBSOCKET, "10.0.1.2", user("u"));
    assertThatThrownBy(() -> slots.acquire(ClientSlots.Kind.WEBSOCKET, "10.0.1.3", user("u")))
        .isInstanceOf(ClientSlots.Refused.class)
        .hasMessageContaining("user");
    assertThat(slots.held("WEBSOCKET|a|10.0.1.3"))
        .as("the refusal gave its address slot back")
        .isZero();
  }

  @Test
  void streamsAndWebSocketsAreCountedApartAndAZeroCapIsOff() throws Exception {
    slots.acquire(ClientSlots.Kind.STREAM, "10.0.2.1", user("s"));
    assertThatThrownBy(() -> slots.acquire(ClientSlots.Kind.STREAM, "10.0.2.1", user("t")))
        .isInstanceOf(ClientSlots.Refused.class);
    assertThat(slots.acquire(ClientSlots.Kind.WEBSOCKET, "10.0.2.1", user("s"))).isNotNull();
    for (int i = 0; i < 10; i++) {
      slots.acquire(ClientSlots.Kind.STREAM, "10.0.2." + (10 + i), user("s")); // no user cap
    }
  }

  @Test
  void aSlotNoEndpointClaimsIsGivenBackAndAClaimedOneIsNot() throws Exception {
    ClientSlots.Lease claimed = slots.acquire(ClientSlots.Kind.WEBSOCKET, "10.0.3.1", user("x"));
    ClientSlots.Lease lost = slots.acquire(ClientSlots.Kind.WEBSOCKET, "10.0.3.1", user("y"));
    slots.await(claimed);
    slots.await(lost);
    assertThat(slots.claim(claimed.id())).isSameAs(claimed);
    assertThat(slots.claim(claimed.id())).as("a slot is claimed once").isNull();
    assertThat(slots.claim("forged")).isNull();
    slots.sweep(System.currentTimeMillis() + ClientSlots.CLAIM_MILLIS + 1);
    assertThat(slots.held("WEBSOCKET|a|10.0.3.1")).as("only the claimed one is held").isEqualTo(1);
  }
}
