package io.switchboard.chat.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.chat.entity.ClientFrame;
import io.switchboard.chat.entity.ErrorCode;
import io.switchboard.chat.entity.FrameException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameReaderTest {

  @Test
  void readsEveryFrameType() {
    assertThat(
            FrameReader.read(
                "{\"type\":\"join\",\"room\":\"general\",\"since\":41,\"epoch\":\"e1\",\"history\":20}"))
        .isEqualTo(new ClientFrame.Join("general", 41L, "e1", 20, null));
    assertThat(FrameReader.read("{\"type\":\"leave\",\"room\":\"general\"}"))
        .isEqualTo(new ClientFrame.Leave("general", null));
    assertThat(
            FrameReader.read(
                "{\"type\":\"chat\",\"room\":\"g\",\"message\":\"hi\",\"id\":\"c-17\"}"))
        .isEqualTo(new ClientFrame.Chat("g", "hi", "c-17"));
    assertThat(FrameReader.read("{\"type\":\"typing\"}"))
        .isEqualTo(new ClientFrame.Typing(null, null));
    assertThat(FrameReader.read("{\"type\":\"ping\"}")).isEqualTo(new ClientFrame.Ping(null));
  }

  @Test
  void ignoresUnknownFieldsAndTheUserField() {
    assertThat(
            FrameReader.read(
                "{\"type\":\"chat\",\"message\":\"hi\",\"user\":\"mallory\",\"x\":[{}]}"))
        .isEqualTo(new ClientFrame.Chat(null, "hi", null));
  }

  @Test
  void historyAbove500Is500AndHugeNumbersAreCapped() {
    assertThat(
            ((ClientFrame.Join)
                    FrameReader.read("{\"type\":\"join\",\"room\":\"r\",\"history\":501}"))
                .history())
        .isEqualTo(500);
    assertThat(
            ((ClientFrame.Join)
                    FrameReader.read("{\"type\":\"join\",\"room\":\"r\",\"history\":1e400}"))
                .history())
        .isEqualTo(500);
    assertThat(
            ((ClientFrame.Join)
                    FrameReader.read(
                        "{\"type\":\"join\",\"room\":\"r\",\"since\":99999999999999999999999}"))
                .since())
        .isEqualTo(Long.MAX_VALUE);
    assertThat(
            ((ClientFrame.Join)
                    FrameReader.read("{\"type\":\"join\",\"room\":\"r\",\"since\":4.0}"))
                .since())
        .isEqualTo(4);
  }

  @Test
  void messagesAreCountedInCodePoints() {
    String emoji = "\uD83D\uDE00".repeat(4000);
    assertThat(
            ((ClientFrame.Chat)
                    FrameReader.read("{\"type\":\"chat\",\"message\":\"" + emoji + "\"}"))
                .message())
        .isEqualTo(emoji);
    assertBad("{\"type\":\"chat\",\"message\":\"" + "\uD83D\uDE00".repeat(4001) + "\"}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "nope",
        "{} trailing",
        "[]",
        "\"s\"",
        "{}",
        "{\"type\":null}",
        "{\"type\":1}",
        "{\"type\":\"fly\"}",
        "{\"type\":\"join\",\"room\":\"bad room\"}",
        "{\"type\":\"join\",\"room\":5}",
        "{\"type\":\"join\",\"room\":\"r\",\"since\":-1}",
        "{\"type\":\"join\",\"room\":\"r\",\"since\":0.5}",
        "{\"type\":\"join\",\"room\":\"r\",\"since\":true}",
        "{\"type\":\"join\",\"room\":\"r\",\"history\":-2}",
        "{\"type\":\"join\",\"room\":\"r\",\"history\":\"3\"}",
        "{\"type\":\"join\",\"room\":\"r\",\"epoch\":\"\"}",
        "{\"type\":\"chat\",\"message\":\"\"}",
        "{\"type\":\"chat\",\"message\":\"\\u00a0\\n \"}",
        "{\"type\":\"chat\"}",
        "{\"type\":\"chat\",\"message\":\"x\",\"id\":\"\"}",
        "{\"type\":\"chat\",\"message\":\"x\",\"id\":1}",
        "{\"type\":\"chat\",\"message\":\"\\ud800\"}",
        "{\"type\":\"chat\",\"message\":\"x\",\"id\":\"\\udc00\"}",
        "{\"type\":\"\\ud800\"}",
      })
  void rejectsMalformedFramesAsBadRequests(String frame) {
    assertBad(frame);
  }

  @Test
  void wellFormedMeansNoLoneSurrogates() {
    assertThat(FrameReader.isWellFormed("a\uD83D\uDE00b")).isTrue();
    assertThat(FrameReader.isWellFormed("a\uD83D")).isFalse();
    assertThat(FrameReader.isWellFormed("\uDE00a")).isFalse();
    assertThat(FrameReader.isWellFormed("")).isTrue();
  }

  @Test
  void deepNestingIsABadRequestNotACrash() {
    assertBad("{\"type\":\"ping\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}");
  }

  @Test
  void errorsCarryTheFramesValidId() {
    assertThatThrownBy(() -> FrameReader.read("{\"type\":\"fly\",\"id\":\"f-1\"}"))
        .isInstanceOfSatisfying(
            FrameException.class, e -> assertThat(e.frameId()).isEqualTo("f-1"));
    assertThatThrownBy(
            () -> FrameReader.read("{\"type\":\"fly\",\"id\":\"" + "x".repeat(65) + "\"}"))
        .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.frameId()).isNull());
  }

  private static void assertBad(String frame) {
    assertThatThrownBy(() -> FrameReader.read(frame))
        .isInstanceOfSatisfying(
            FrameException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
  }
}
