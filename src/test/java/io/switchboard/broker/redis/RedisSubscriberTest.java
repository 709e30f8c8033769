package io.switchboard.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RedisSubscriberTest {

  @Test
  void reconnectPausesAreSpreadOverTheUpperHalfOfTheBackoff() {
    Set<Long> pauses = new HashSet<>();
    LongStream.range(0, 2000).forEach(i -> pauses.add(RedisSubscriber.pause(1000)));

    assertThat(pauses).allMatch(p -> p >= 500 && p <= 1000);
    assertThat(pauses).as("nodes that lost Redis together come back apart").hasSizeGreaterThan(300);
  }
}
