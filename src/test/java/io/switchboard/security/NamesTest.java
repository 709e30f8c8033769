package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @Test
  void namesAreTrimmedAndBlankMeansNotGiven() {
    assertThat(Names.displayName("  alice ")).contains("alice");
    assertThat(Names.displayName("   ")).isEmpty();
    assertThat(Names.displayName(null)).isEmpty();
    assertThat(Names.displayName("Zoë O'Brien-小明 ☕ 3")).contains("Zoë O'Brien-小明 ☕ 3");
    assertThat(Names.displayName("\uD83D\uDE00".repeat(32))).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a\u0001b",
        "tab\there",
        "line\nbreak",
        "zero\u200Bwidth",
        "bidi\u202Eo",
        "x\uD800"
      })
  void controlAndFormatCharactersAreInvalid(String name) {
    assertThatThrownBy(() -> Names.displayName(name)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void moreThan32CodePointsIsInvalid() {
    assertThatThrownBy(() -> Names.displayName("\uD83D\uDE00".repeat(33)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void roomNamesFollowThePattern() {
    assertThat(Names.isRoom("team-a_1.x")).isTrue();
    assertThat(Names.isRoom("r".repeat(64))).isTrue();
    assertThat(Names.isRoom("r".repeat(65))).isFalse();
    assertThat(Names.isRoom("")).isFalse();
    assertThat(Names.isRoom("a b")).isFalse();
    assertThat(Names.isRoom("é")).isFalse();
    assertThat(Names.isRoom(null)).isFalse();
  }

  @Test
  void guestNamesLookLikeGuestXxxx() {
    assertThat(Names.guestName()).matches("guest-[a-z0-9]{4}");
  }

  @Test
  void theRoomsClaimMatchesExactNamesAndTrailingWildcards() {
    Identity identity =
        new Identity("a", "a", java.util.Set.of("team-*", "lobby"), java.util.Set.of());
    assertThat(identity.mayJoin("team-red")).isTrue();
    assertThat(identity.mayJoin("team-")).isTrue();
    assertThat(identity.mayJoin("lobby")).isTrue();
    assertThat(identity.mayJoin("lobby2")).isFalse();
    assertThat(identity.mayJoin("teams")).isFalse();
    assertThat(Identity.guest("g").mayJoin("anything")).isTrue();
  }
}
