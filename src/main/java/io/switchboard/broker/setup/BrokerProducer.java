package io.switchboard.broker.setup;

import io.switchboard.broker.Bans;
import io.switchboard.broker.Broker;
import io.switchboard.broker.Cluster;
import io.switchboard.broker.HistoryLimits;
import io.switchboard.broker.InMemoryBans;
import io.switchboard.broker.InMemoryBroker;
import io.switchboard.broker.InMemoryCluster;
import io.switchboard.broker.InMemoryPresence;
import io.switchboard.broker.InMemoryTicketLedger;
import io.switchboard.broker.InMemoryUserRates;
import io.switchboard.broker.Presence;
import io.switchboard.broker.TicketLedger;
import io.switchboard.broker.UserRates;
import io.switchboard.broker.redis.RedisBans;
import io.switchboard.broker.redis.RedisBroker;
import io.switchboard.broker.redis.RedisCluster;
import io.switchboard.broker.redis.RedisPresence;
import io.switchboard.broker.redis.RedisStore;
import io.switchboard.broker.redis.RedisTicketLedger;
import io.switchboard.broker.redis.RedisUserRates;
import io.switchboard.config.Settings;
import io.switchboard.platform.Workers;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Chooses the implementations of the broker seams: Redis when {@code switchboard.redis.url} is set,
 * else in memory (one node).
 */
@ApplicationScoped
public class BrokerProducer {

  @Inject Settings settings;
  @Inject Workers workers;

  private RedisStore store;
  private Broker broker;
  private Presence presence;
  private Cluster cluster;
  private UserRates userRates;
  private TicketLedger tickets;
  private Bans bans;

  @PostConstruct
  void create() {
    Clock clock = Clock.systemUTC();
    if (settings.redisUrl().isPresent()) {
      store =
          new RedisStore(
              URI.create(settings.redisUrl().get()),
              settings
                  .redisTrustStore()
                  .map(
                      path ->
                          new RedisStore.TrustStore(
                              Path.of(path),
                              settings.redisTrustStorePassword().orElse("").toCharArray()))
                  .orElse(null));
      RedisBroker redis =
          new RedisBroker(
              store,
              settings.redisKeyPrefix(),
              limits(),
              settings.roomTtlSeconds(),
              clock,
              workers.threads(),
              workers.clusterTimers(),
              workers.replays());
      RedisPresence redisPresence =
          new RedisPresence(store, settings.redisKeyPrefix(), settings.nodeId());
      broker = redis;
      presence = redisPresence;
      RedisCluster redisCluster =
          new RedisCluster(
              store, settings.redisKeyPrefix(), settings.nodeId(), redisPresence, redis);
      // Before any connection: registering forgets what an earlier run of this node id left, and
      // must not forget members that joined this run (seen: a client joining in the node's first
      // seconds lost its presence).
      redisCluster.register();
      cluster = redisCluster;
      tickets = new RedisTicketLedger(store, settings.redisKeyPrefix(), clock);
      bans = new RedisBans(store, settings.redisKeyPrefix(), clock);
      userRates =
          new RedisUserRates(
              store,
              settings.redisKeyPrefix(),
              settings.ratePerSecond(),
              settings.rateBurst(),
              clock);
    } else {
      broker = new InMemoryBroker(limits(), clock);
      presence = new InMemoryPresence();
      cluster = new InMemoryCluster();
      InMemoryUserRates rates =
          new InMemoryUserRates(settings.ratePerSecond(), settings.rateBurst(), System::nanoTime);
      workers.every(60_000, "Rate bucket sweep", rates::sweep);
      userRates = rates;
      InMemoryTicketLedger ledger = new InMemoryTicketLedger(clock);
      workers.every(60_000, "Ticket sweep", ledger::sweep);
      tickets = ledger;
      InMemoryBans memoryBans = new InMemoryBans(clock);
      workers.every(60_000, "Ban sweep", memoryBans::sweep);
      bans = memoryBans;
    }
  }

  private HistoryLimits limits() {
    return new HistoryLimits(
        settings.historySize(),
        settings.historyBytes(),
        settings.historyTotalBytes(),
        settings.notificationHistory(),
        settings.notificationHistoryBytes(),
        settings.maxRooms(),
        settings.idempotencySeconds());
  }

  /** Where the shared state lives, for the start-up line (no password). */
  public String describe() {
    return store == null ? "memory (single node)" : "redis " + store.describe();
  }

  @Produces
  @Singleton
  Broker broker() {
    return broker;
  }

  @Produces
  @Singleton
  Presence presence() {
    return presence;
  }

  @Produces
  @Singleton
  Cluster cluster() {
    return cluster;
  }

  @Produces
  @Singleton
  UserRates userRates() {
    return userRates;
  }

  @Produces
  @Singleton
  TicketLedger tickets() {
    return tickets;
  }

  @Produces
  @Singleton
  Bans bans() {
    return bans;
  }

  @PreDestroy
  void close() {
    if (cluster instanceof RedisCluster redis) {
      redis.leave();
    }
    broker.close();
    if (store != null) {
      store.close();
    }
  }
}
