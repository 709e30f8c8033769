package io.switchboard.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SharedFrameTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 70_000})
  void encodesOneUnmaskedTextFrameWithTheShortestLength(int size) {
    String text = "é".repeat(size / 2) + "x".repeat(size % 2); // two bytes per é
    SharedFrame frame = SharedFrame.of(text);
    ByteBuffer wire = frame.wire();

    assertThat(wire.get() & 0xff).as("FIN and text opcode").isEqualTo(0x81);
    int second = wire.get() & 0xff;
    assertThat(second & 0x80).as("a server's frame is not masked").isZero();
    long length = second & 0x7f;
    if (size < 126) {
      assertThat(length).isEqualTo(size);
    } else if (size < 65_536) {
      assertThat(length).isEqualTo(126);
      length = wire.getShort() & 0xffff;
    } else {
      assertThat(length).isEqualTo(127);
      length = wire.getLong();
    }
    assertThat(length).isEqualTo(size).isEqualTo(wire.remaining());
    byte[] payload = new byte[wire.remaining()];
    wire.get(payload);
    assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo(text);
    assertThat(frame.text()).isEqualTo(text);
  }

  @Test
  void everyWriterGetsItsOwnView() {
    SharedFrame frame = SharedFrame.of("x".repeat(10));
    ByteBuffer first = frame.wire();
    first.position(first.limit());
    assertThat(frame.wire().remaining()).isEqualTo(12);
  }
}
