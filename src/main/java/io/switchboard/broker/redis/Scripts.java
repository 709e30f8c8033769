package io.switchboard.broker.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * The Lua scripts that make each shared operation atomic in Redis. Offsets and ids are assigned,
 * stored and published in one script, so that no two nodes hand out the same offset and a message
 * is in history before any node can receive it.
 */
final class Scripts {

  private Scripts() {}

  /**
   * What a write ({@link #PUBLISH}, {@link #NOTIFY}) answers: {@code {sequence, epoch, repeat}}.
   *
   * @param sequence the message's offset or the notification's id (the original's, for a repeat)
   * @param repeat the dedup key was taken within the window: nothing was stored or published
   */
  record Stored(long sequence, String epoch, boolean repeat) {
    static Stored of(Object reply) {
      List<?> r = (List<?>) reply;
      return new Stored((Long) r.get(0), RedisStore.text(r.get(1)), (Long) r.get(2) == 1);
    }
  }

  /**
   * What a read ({@link #READ}, {@link #READ_NOTIFICATIONS}) answers: {@code {latest, oldest,
   * epoch, items}}.
   *
   * @param oldest the oldest kept ({@code latest + 1} when none is)
   * @param items the stored JSON of those read, oldest first
   */
  record Slice(long latest, long oldest, String epoch, List<String> items) {
    static Slice of(Object reply) {
      List<?> r = (List<?>) reply;
      List<String> items = new ArrayList<>();
      for (Object item : (List<?>) r.get(3)) {
        items.add(RedisStore.text(item));
      }
      return new Slice((Long) r.get(0), (Long) r.get(1), RedisStore.text(r.get(2)), items);
    }
  }

  /**
   * Stores and publishes a chat message, keeping at most the history size and the history bytes
   * (the newest message always stays); a message whose dedup key the room took within the window,
   * in this epoch, is neither stored nor published. KEYS: offset, log, epoch, bytes, dedup. ARGV:
   * history size, JSON before the offset, JSON after it, channel, a new epoch (used if the room has
   * none), room TTL in seconds, history bytes, dedup window in seconds (0: no dedup key). Returns
   * {offset, epoch, 1 for a repeat else 0} ({@link Stored}). The channel carries {@code
   * m<offset>|<epoch>|<json>}.
   */
  static final String PUBLISH =
      """
      local epoch = redis.call('GET', KEYS[3])
      if not epoch then
        epoch = ARGV[5]
        redis.call('SET', KEYS[3], epoch)
      end
      local window = tonumber(ARGV[8])
      if window > 0 then
        local prior = redis.call('GET', KEYS[5])
        if prior then
          local sep = string.find(prior, '|', 1, true)
          if sep and string.sub(prior, 1, sep - 1) == epoch then
            return {tonumber(string.sub(prior, sep + 1)), epoch, 1}
          end
        end
      end
      local offset = redis.call('INCR', KEYS[1])
      local json = ARGV[2] .. offset .. ARGV[3]
      local history = tonumber(ARGV[1])
      local ttl = tonumber(ARGV[6])
      if history > 0 then
        if redis.call('EXISTS', KEYS[4]) == 0 then
          local held = 0
          for _, item in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
            held = held + #item
          end
          redis.call('SET', KEYS[4], held)
        end
        local len = redis.call('RPUSH', KEYS[2], json)
        local bytes = redis.call('INCRBY', KEYS[4], #json)
        local maxBytes = tonumber(ARGV[7])
        while len > 1 and (len > history or bytes > maxBytes) do
          bytes = redis.call('DECRBY', KEYS[4], #redis.call('LPOP', KEYS[2]))
          len = len - 1
        end
        redis.call('EXPIRE', KEYS[4], ttl)
      end
      if window > 0 then
        redis.call('SET', KEYS[5], epoch .. '|' .. offset, 'EX', window)
      end
      redis.call('EXPIRE', KEYS[1], ttl)
      redis.call('EXPIRE', KEYS[2], ttl)
      redis.call('EXPIRE', KEYS[3], ttl)
      redis.call('PUBLISH', ARGV[4], 'm' .. offset .. '|' .. epoch .. '|' .. json)
      return {offset, epoch, 0}
      """;

  /**
   * Reads a consistent slice of a room's history, bounded in count and bytes (at least one message
   * when any is kept). KEYS: offset, log, epoch. ARGV: after, limit, mode ("after", "tail", or
   * "open": no messages, and the room gets its epoch if it has none), a new epoch, TTL for the
   * epoch made by "open", max bytes. Only "open" writes. Returns {latest, oldest, epoch, messages}.
   */
  static final String READ =
      """
      local epoch = redis.call('GET', KEYS[3])
      local latest = tonumber(redis.call('GET', KEYS[1]) or '0')
      if not epoch then
        epoch = ARGV[4]
        if ARGV[3] == 'open' then
          redis.call('SET', KEYS[3], epoch, 'EX', tonumber(ARGV[5]))
        end
      end
      local len = redis.call('LLEN', KEYS[2])
      local oldest = latest - len + 1
      local limit = tonumber(ARGV[2])
      local maxBytes = tonumber(ARGV[6])
      local items = {}
      if limit > 0 and len > 0 and ARGV[3] ~= 'open' then
        if ARGV[3] == 'tail' then
          local all = redis.call('LRANGE', KEYS[2], math.max(0, len - limit), -1)
          local from = #all + 1
          local bytes = 0
          for i = #all, 1, -1 do
            bytes = bytes + #all[i]
            if bytes > maxBytes and i < #all then
              break
            end
            from = i
          end
          for i = from, #all do
            items[#items + 1] = all[i]
          end
        else
          local first = math.max(0, tonumber(ARGV[1]) + 1 - oldest)
          if first < len then
            local all = redis.call('LRANGE', KEYS[2], first, first + limit - 1)
            local bytes = 0
            for i = 1, #all do
              bytes = bytes + #all[i]
              if bytes > maxBytes and i > 1 then
                break
              end
              items[i] = all[i]
            end
          end
        end
      end
      return {latest, oldest, epoch, items}
      """;

  /**
   * Stores and publishes a notification, keeping at most the history size and bytes; one whose
   * dedup key was taken within the window is neither stored nor published. KEYS: seq, log, bytes,
   * dedup, epoch. ARGV: history size, JSON before the id, JSON after it, channel, history bytes,
   * dedup window in seconds (0: no dedup key), a new epoch (used if the sequence has none). Returns
   * {id, epoch, 1 for a repeat else 0}, as {@link #PUBLISH} does ({@link Stored}). The channel
   * carries {@code n<id>|<epoch>|<json>}.
   */
  static final String NOTIFY =
      """
      local epoch = redis.call('GET', KEYS[5])
      if not epoch then
        epoch = ARGV[7]
        redis.call('SET', KEYS[5], epoch)
      end
      local window = tonumber(ARGV[6])
      if window > 0 then
        local prior = redis.call('GET', KEYS[4])
        if prior then
          return {tonumber(prior), epoch, 1}
        end
      end
      local id = redis.call('INCR', KEYS[1])
      local json = ARGV[2] .. id .. ARGV[3]
      local history = tonumber(ARGV[1])
      if history > 0 then
        if redis.call('EXISTS', KEYS[3]) == 0 then
          local held = 0
          for _, item in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
            held = held + #item
          end
          redis.call('SET', KEYS[3], held)
        end
        local len = redis.call('RPUSH', KEYS[2], json)
        local bytes = redis.call('INCRBY', KEYS[3], #json)
        local maxBytes = tonumber(ARGV[5])
        while len > 1 and (len > history or bytes > maxBytes) do
          bytes = redis.call('DECRBY', KEYS[3], #redis.call('LPOP', KEYS[2]))
          len = len - 1
        end
      end
      if window > 0 then
        redis.call('SET', KEYS[4], id, 'EX', window)
      end
      redis.call('PUBLISH', ARGV[4], 'n' .. id .. '|' .. epoch .. '|' .. json)
      return {id, epoch, 0}
      """;

  /**
   * Reads kept notifications, bounded in count and bytes (at least one when any is kept). KEYS:
   * seq, log, epoch. ARGV: after, limit, max bytes, the epoch to give the sequence when it has none
   * (one key for the whole cluster: a reader's epoch is the one the next notification gets).
   * Returns {latest, oldest, epoch, items}, as {@link #READ} does ({@link Slice}).
   */
  static final String READ_NOTIFICATIONS =
      """
      local epoch = redis.call('GET', KEYS[3])
      if not epoch then
        epoch = ARGV[4]
        redis.call('SET', KEYS[3], epoch)
      end
      local latest = tonumber(redis.call('GET', KEYS[1]) or '0')
      local len = redis.call('LLEN', KEYS[2])
      local oldest = latest - len + 1
      local limit = tonumber(ARGV[2])
      local maxBytes = tonumber(ARGV[3])
      local items = {}
      if limit > 0 and len > 0 then
        local first = math.max(0, tonumber(ARGV[1]) + 1 - oldest)
        if first < len then
          local all = redis.call('LRANGE', KEYS[2], first, first + limit - 1)
          local bytes = 0
          for i = 1, #all do
            bytes = bytes + #all[i]
            if bytes > maxBytes and i > 1 then
              break
            end
            items[i] = all[i]
          end
        end
      end
      return {latest, oldest, epoch, items}
      """;

  /**
   * Replaces an epoch that is still the given one. KEYS: epoch. ARGV: the epoch seen, a new one.
   * Returns the epoch afterwards.
   */
  static final String RENEW_EPOCH =
      """
      local current = redis.call('GET', KEYS[1])
      if current == false or current == ARGV[1] then
        redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
        return ARGV[2]
      end
      return current
      """;

  /**
   * A connection enters a room. KEYS: users, connections, names, node rooms, presence rooms. ARGV:
   * userId, node, name, room. Returns the user's connection count in the room.
   */
  static final String ENTER =
      """
      redis.call('HINCRBY', KEYS[2], ARGV[1] .. '\\n' .. ARGV[2], 1)
      local total = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
      redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
      redis.call('HINCRBY', KEYS[4], ARGV[4], 1)
      redis.call('SADD', KEYS[5], ARGV[4])
      return total
      """;

  /**
   * A connection leaves a room. Same KEYS and ARGV as {@link #ENTER}. Returns the user's remaining
   * connection count, or -1 when the connection was not counted.
   */
  static final String LEAVE =
      """
      local field = ARGV[1] .. '\\n' .. ARGV[2]
      local here = redis.call('HINCRBY', KEYS[2], field, -1)
      if here <= 0 then
        redis.call('HDEL', KEYS[2], field)
      end
      if here < 0 then
        return -1
      end
      if redis.call('HINCRBY', KEYS[4], ARGV[4], -1) <= 0 then
        redis.call('HDEL', KEYS[4], ARGV[4])
      end
      local total = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
      if total <= 0 then
        redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[3], ARGV[1])
        if redis.call('HLEN', KEYS[1]) == 0 then
          redis.call('SREM', KEYS[5], ARGV[4])
        end
        return 0
      end
      return total
      """;

  /**
   * Forgets a node's connections in one room. KEYS: users, connections, names, presence rooms.
   * ARGV: node, room. Returns {userId, name, ...} of the users who left the room with it.
   */
  static final String FORGET_NODE =
      """
      local left = {}
      local fields = redis.call('HGETALL', KEYS[2])
      for i = 1, #fields, 2 do
        local field = fields[i]
        local sep = string.find(field, '\\n', 1, true)
        if sep and string.sub(field, sep + 1) == ARGV[1] then
          local user = string.sub(field, 1, sep - 1)
          redis.call('HDEL', KEYS[2], field)
          local total = redis.call('HINCRBY', KEYS[1], user, -tonumber(fields[i + 1]))
          if total <= 0 then
            local name = redis.call('HGET', KEYS[3], user) or user
            redis.call('HDEL', KEYS[1], user)
            redis.call('HDEL', KEYS[3], user)
            table.insert(left, user)
            table.insert(left, name)
          end
        end
      end
      if redis.call('HLEN', KEYS[1]) == 0 then
        redis.call('SREM', KEYS[4], ARGV[2])
      end
      return left
      """;

  /**
   * Makes one node's share of a room's members exactly the given ones (after an outage, or after
   * other nodes took this node for dead). KEYS: users, connections, names, node rooms, presence
   * rooms. ARGV: node, room, then userId, name, connection count for each member. Returns {kind,
   * userId, name, ...} for each user who thereby entered ('J') or left ('L') the room, so that the
   * others can be told.
   */
  static final String SYNC =
      """
      local before = {}
      local users = redis.call('HGETALL', KEYS[1])
      for i = 1, #users, 2 do
        before[users[i]] = tonumber(users[i + 1])
      end
      local fields = redis.call('HGETALL', KEYS[2])
      for i = 1, #fields, 2 do
        local field = fields[i]
        local sep = string.find(field, '\\n', 1, true)
        if sep and string.sub(field, sep + 1) == ARGV[1] then
          local user = string.sub(field, 1, sep - 1)
          redis.call('HDEL', KEYS[2], field)
          redis.call('HINCRBY', KEYS[1], user, -tonumber(fields[i + 1]))
        end
      end
      local changed = {}
      local here = 0
      for i = 3, #ARGV, 3 do
        local user = ARGV[i]
        local count = tonumber(ARGV[i + 2])
        here = here + count
        redis.call('HINCRBY', KEYS[2], user .. '\\n' .. ARGV[1], count)
        redis.call('HINCRBY', KEYS[1], user, count)
        redis.call('HSET', KEYS[3], user, ARGV[i + 1])
        if (before[user] or 0) <= 0 then
          table.insert(changed, 'J')
          table.insert(changed, user)
          table.insert(changed, ARGV[i + 1])
        end
      end
      users = redis.call('HGETALL', KEYS[1])
      for i = 1, #users, 2 do
        if tonumber(users[i + 1]) <= 0 then
          if (before[users[i]] or 0) > 0 then
            table.insert(changed, 'L')
            table.insert(changed, users[i])
            table.insert(changed, redis.call('HGET', KEYS[3], users[i]) or users[i])
          end
          redis.call('HDEL', KEYS[1], users[i])
          redis.call('HDEL', KEYS[3], users[i])
        end
      end
      if here > 0 then
        redis.call('HSET', KEYS[4], ARGV[2], here)
      else
        redis.call('HDEL', KEYS[4], ARGV[2])
      end
      if redis.call('HLEN', KEYS[1]) > 0 then
        redis.call('SADD', KEYS[5], ARGV[2])
      else
        redis.call('SREM', KEYS[5], ARGV[2])
      end
      return changed
      """;

  /**
   * Takes a token from a user's bucket. KEYS: bucket. ARGV: rate per second, burst, now (ms).
   * Returns 0, or the milliseconds until a token will be there.
   */
  static final String TAKE_TOKEN =
      """
      local rate = tonumber(ARGV[1])
      local burst = tonumber(ARGV[2])
      local now = tonumber(ARGV[3])
      local state = redis.call('HMGET', KEYS[1], 't', 'ts')
      local tokens = tonumber(state[1]) or burst
      local ts = tonumber(state[2]) or now
      tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
      local wait = 0
      if tokens >= 1 then
        tokens = tokens - 1
      else
        wait = math.max(1, math.ceil((1 - tokens) * 1000 / rate))
      end
      redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(now))
      redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
      return wait
      """;
}
