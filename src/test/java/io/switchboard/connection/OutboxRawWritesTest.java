package io.switchboard.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox on a container where encoded frames are written directly: frames queued behind a write
 * in flight go out together in the next write, in order, within the bounds of one write.
 */
class OutboxRawWritesTest {

  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final OutboxTest.FakeRemote remote = new OutboxTest.FakeRemote();
  private final OutboxTest.Events events = new OutboxTest.Events();

  /** Every write, as the text frames it carried. */
  private final List<List<String>> writes = new CopyOnWriteArrayList<>();

  private final AtomicReference<SendHandler> handler = new AtomicReference<>();
  private final List<Runnable> pending = new CopyOnWriteArrayList<>();
  private volatile boolean inline = true;

  private final Outbox outbox =
      new Outbox(
          remote.proxy(),
          1000,
          Long.MAX_VALUE,
          executor,
          events,
          h -> {
            handler.set(h);
            return wire -> {
              writes.add(decode(wire));
              Runnable complete = () -> handler.get().onResult(new SendResult());
              if (inline) {
                complete.run();
              } else {
                pending.add(complete);
              }
            };
          });

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void aClientThatKeepsUpGetsOneFramePerWrite() {
    for (int i = 0; i < 5; i++) {
      outbox.send(SharedFrame.of("m" + i));
      int expected = i + 1;
      await().until(() -> writes.size() == expected);
    }
    assertThat(writes)
        .containsExactly(List.of("m0"), List.of("m1"), List.of("m2"), List.of("m3"), List.of("m4"));
    assertThat(remote.written).as("nothing went through sendText").isEmpty();
  }

  @Test
  void framesQueuedBehindAWriteGoOutTogetherInOrder() {
    inline = false;
    outbox.send(SharedFrame.of("first"));
    await().until(() -> writes.size() == 1);
    outbox.send("private");
    for (int i = 0; i < 9; i++) {
      outbox.send(SharedFrame.of("b" + i));
    }
    outbox.send("h1");
    outbox.mark(() -> {});
    outbox.send("h2");
    pending.remove(0).run();
    await().until(() -> writes.size() == 2);

    List<String> expected = new ArrayList<>(List.of("private"));
    IntStream.range(0, 9).forEach(i -> expected.add("b" + i));
    expected.addAll(List.of("h1", "h2"));
    assertThat(writes.get(1)).containsExactlyElementsOf(expected);
    pending.remove(0).run();
    await().until(() -> events.sent.get() == 13);
  }

  @Test
  void oneWriteHoldsAtMostItsFrameAndByteBounds() {
    inline = false;
    outbox.send(SharedFrame.of("first"));
    await().until(() -> writes.size() == 1);
    int count = Outbox.MAX_WRITE_FRAMES + 10;
    for (int i = 0; i < count; i++) {
      outbox.send(SharedFrame.of("n" + i));
    }
    String big = "x".repeat(Outbox.MAX_WRITE_BYTES);
    outbox.send(big);
    outbox.send("after");
    inline = true;
    pending.remove(0).run();
    await().until(() -> events.sent.get() == 1 + count + 2);

    assertThat(writes).hasSize(5);
    assertThat(writes.get(1)).hasSize(Outbox.MAX_WRITE_FRAMES);
    assertThat(writes.get(2)).hasSize(10).startsWith("n" + Outbox.MAX_WRITE_FRAMES);
    assertThat(writes.get(3)).containsExactly(big);
    assertThat(writes.get(4)).containsExactly("after");
  }

  /** Splits a write into the text frames it holds (unmasked, unfragmented, as a server sends). */
  static List<String> decode(ByteBuffer wire) {
    List<String> frames = new ArrayList<>();
    ByteBuffer in = wire.duplicate();
    while (in.hasRemaining()) {
      assertThat(in.get() & 0xff).isEqualTo(0x81);
      int length = in.get() & 0x7f;
      if (length == 126) {
        length = in.getShort() & 0xffff;
      } else if (length == 127) {
        length = (int) in.getLong();
      }
      byte[] payload = new byte[length];
      in.get(payload);
      frames.add(new String(payload, StandardCharsets.UTF_8));
    }
    return frames;
  }
}
