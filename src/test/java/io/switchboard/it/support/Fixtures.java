package io.switchboard.it.support;

import java.util.concurrent.ThreadLocalRandom;

/** Fresh names, so tests never share a room or a user. */
public final class Fixtures {

  private Fixtures() {}

  public static String room() {
    return "room-" + suffix();
  }

  public static String user() {
    return "user-" + suffix();
  }

  public static String topic() {
    return "topic-" + suffix();
  }

  private static String suffix() {
    return Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
  }
}
