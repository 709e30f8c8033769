package io.switchboard.broker.redis;

import io.switchboard.broker.Bans;
import java.time.Clock;
import redis.clients.jedis.params.SetParams;

/** {@link Bans} over Redis: one key per room and user, expiring when the ban ends. */
public final class RedisBans implements Bans {

  private final RedisStore store;
  private final String prefix;
  private final Clock clock;

  public RedisBans(RedisStore store, String keyPrefix, Clock clock) {
    this.store = store;
    this.prefix = keyPrefix + "ban:";
    this.clock = clock;
  }

  /** A room name has no colon, so the room ends at the first one. */
  private String key(String room, String userId) {
    return prefix + room + ":" + userId;
  }

  @Override
  public void ban(String room, String userId, long untilMillis) {
    String key = key(room, userId);
    if (untilMillis > clock.millis()) {
      store.call(j -> j.set(key, "1", SetParams.setParams().pxAt(untilMillis)));
    } else {
      store.call(j -> j.del(key));
    }
  }

  @Override
  public boolean isBanned(String room, String userId) {
    return store.call(j -> j.exists(key(room, userId)));
  }
}
