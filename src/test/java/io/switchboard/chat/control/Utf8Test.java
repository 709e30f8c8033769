package io.switchboard.chat.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

  @Test
  void countsLikeTheEncoder() {
    for (String s :
        new String[] {
          "", "abc", "é", "€", "\uD83D\uDE00", "aé€\uD83D\uDE00z", "x".repeat(20_000)
        }) {
      assertThat(Utf8.length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
  }
}
