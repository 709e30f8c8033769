package io.switchboard.connection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A text frame, encoded once: the complete WebSocket frame (header and UTF-8 payload) that every
 * recipient's write shares (a room's broadcast), and what an outbox counts against its byte bound.
 * Only the bytes are kept; the text is decoded again where a container needs it.
 */
public final class SharedFrame {

  private final byte[] wire;

  private SharedFrame(byte[] wire) {
    this.wire = wire;
  }

  /** Encodes {@code text} as one unfragmented, unmasked text frame (as a server sends it). */
  public static SharedFrame of(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    int length = payload.length;
    int header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    ByteBuffer wire = ByteBuffer.allocate(header + length);
    wire.put((byte) 0x81); // FIN, text
    if (length < 126) {
      wire.put((byte) length);
    } else if (length < 65_536) {
      wire.put((byte) 126).putShort((short) length);
    } else {
      wire.put((byte) 127).putLong(length);
    }
    wire.put(payload);
    return new SharedFrame(wire.array());
  }

  /**
   * The frame's text (decoded from its bytes: for containers that cannot write them as they are).
   */
  public String text() {
    int second = wire[1] & 0x7f;
    int header = second < 126 ? 2 : second == 126 ? 4 : 10;
    return new String(wire, header, wire.length - header, StandardCharsets.UTF_8);
  }

  /**
   * The encoded frame, as a new view of the shared bytes (writers move its position). Not
   * read-only: the container writes a buffer with an accessible array without copying it, and
   * nothing it does writes into it.
   */
  ByteBuffer wire() {
    return ByteBuffer.wrap(wire);
  }

  /** Bytes of the encoded frame. */
  public int wireLength() {
    return wire.length;
  }
}
