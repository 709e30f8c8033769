package io.switchboard.broker.redis;

import io.switchboard.broker.Cluster;
import io.switchboard.broker.ClusterContract;
import io.switchboard.broker.HistoryLimits;
import io.switchboard.broker.Presence;
import io.switchboard.broker.PresenceContract;
import io.switchboard.broker.TicketLedger;
import io.switchboard.broker.TicketLedgerContract;
import io.switchboard.broker.UserRates;
import io.switchboard.broker.UserRatesContract;
import io.switchboard.it.support.RedisProcess;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The seams' contracts against the Redis implementations, on a real Redis server. */
class RedisSeamsIT
    implements PresenceContract,
        UserRatesContract,
        TicketLedgerContract,
        ClusterContract,
        io.switchboard.broker.BansContract {

  private static RedisProcess redis;
  private static RedisStore store;
  private static ScheduledExecutorService scheduler;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private String prefix;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisProcess.start();
    store = new RedisStore(URI.create(redis.url()));
    scheduler = Executors.newScheduledThreadPool(1);
  }

  @AfterAll
  static void stop() {
    scheduler.shutdownNow();
    store.close();
    redis.close();
  }

  @BeforeEach
  void freshPrefix() {
    prefix = "seams:" + UUID.randomUUID() + ":";
  }

  @AfterEach
  void closeOpened() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  @Override
  public Presence presence() {
    return new RedisPresence(store, prefix, "node-a");
  }

  @Override
  public UserRates rates() {
    return new RedisUserRates(store, prefix, 1, 3, Clock.systemUTC());
  }

  @Override
  public io.switchboard.broker.Bans bans() {
    return new RedisBans(store, prefix + UUID.randomUUID() + ":", Clock.systemUTC());
  }

  @Override
  public TicketLedger ledger() {
    return new RedisTicketLedger(store, prefix, Clock.systemUTC());
  }

  @Override
  public Cluster cluster(String self) {
    RedisStore own = new RedisStore(URI.create(redis.url()));
    RedisBroker broker =
        new RedisBroker(
            own,
            prefix,
            HistoryLimits.counts(100, 100, 100),
            3600,
            Clock.systemUTC(),
            Executors.defaultThreadFactory(),
            scheduler,
            Runnable::run);
    opened.add(broker);
    opened.add(own);
    RedisCluster cluster =
        new RedisCluster(own, prefix, self, new RedisPresence(own, prefix, self), broker);
    cluster.register();
    return cluster;
  }
}
