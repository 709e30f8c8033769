package io.switchboard.broker.redis;

import io.switchboard.broker.BrokerUnavailableException;
import io.switchboard.broker.Cluster;
import io.switchboard.broker.NodeStats;
import io.switchboard.platform.Json;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import redis.clients.jedis.params.SetParams;

/**
 * {@link Cluster} over Redis: each node's report is a key that expires after {@link
 * #ALIVE_SECONDS}. A node whose key expired is dead: the first node to notice takes a lock and
 * cleans up its presence (its users leave their rooms, with presence events), well within 30 s.
 */
public final class RedisCluster implements Cluster {

  private static final Logger LOG = Logger.getLogger(RedisCluster.class.getName());
  static final int ALIVE_SECONDS = 20;

  private final RedisStore store;
  private final Keys keys;
  private final String self;
  private final RedisPresence presence;
  private final RedisBroker broker;
  private volatile boolean registered;

  /** This node's report was seen in the cluster's list of nodes; the reporting thread's. */
  private boolean listed;

  public RedisCluster(
      RedisStore store, String keyPrefix, String self, RedisPresence presence, RedisBroker broker) {
    this.store = store;
    this.keys = new Keys(keyPrefix);
    this.self = self;
    this.presence = presence;
    this.broker = broker;
  }

  /**
   * Joins the cluster: a node that restarts with the same id must not inherit its old members, so
   * they are forgotten. Done when the node starts, before it takes connections; true when done
   * (false while Redis is unreachable: the first report retries).
   */
  public boolean register() {
    try {
      presence.forgetNode(self, broker::signal);
      registered = true;
      LOG.info("Node " + self + " joined the cluster at " + store.describe());
      return true;
    } catch (BrokerUnavailableException e) {
      return false;
    }
  }

  @Override
  public void report(NodeStats stats) {
    try {
      if (!registered && register()) {
        // Registered late (Redis was down at start): forgetting this node's old members also
        // removed members that joined since; the rooms put them back (without events).
        broker.resyncAll();
      }
      long added =
          store.call(
              j -> {
                j.set(
                    keys.node(self),
                    Json.get().write(stats),
                    SetParams.setParams().ex(ALIVE_SECONDS));
                return j.sadd(keys.nodes(), self);
              });
      if (added == 1 && listed) {
        // This node was taken for dead (its reports came late: a long pause, a stalled Redis) and
        // the others forgot its members: the rooms put them back, with join events.
        LOG.warning(
            "Node "
                + self
                + " was taken for dead by the cluster (its report came late); restoring its"
                + " members");
        broker.resyncAll();
      }
      listed = true;
      sweep();
    } catch (BrokerUnavailableException e) {
      // logged once by the store; the next report retries
    }
  }

  /** Cleans up after nodes whose report expired. */
  private void sweep() {
    for (String node : store.call(j -> j.smembers(keys.nodes()))) {
      if (node.equals(self) || store.call(j -> j.exists(keys.node(node)))) {
        continue;
      }
      boolean mine =
          store.call(
              j -> "OK".equals(j.set(keys.cleanup(node), self, SetParams.setParams().nx().ex(60))));
      if (mine) {
        LOG.info("Node " + node + " stopped reporting; removing its members");
        presence.forgetNode(node, broker::signal);
        store.call(j -> j.srem(keys.nodes(), node));
      }
    }
  }

  @Override
  public List<NodeStats> nodes() {
    return store.call(
        j -> {
          List<NodeStats> out = new ArrayList<>();
          List<String> ids = new ArrayList<>(j.smembers(keys.nodes()));
          if (ids.isEmpty()) {
            return out;
          }
          List<String> reports = j.mget(ids.stream().map(keys::node).toArray(String[]::new));
          for (String report : reports) {
            if (report != null) {
              out.add(parse(report));
            }
          }
          return out;
        });
  }

  private static NodeStats parse(String json) {
    JsonObject o = Json.get().parse(json).asJsonObject();
    return new NodeStats(
        o.getString("node"),
        o.getInt("connections"),
        o.getInt("sseClients"),
        o.getInt("rooms"),
        o.getJsonNumber("messagesIn").longValue(),
        o.getJsonNumber("messagesOut").longValue(),
        o.getJsonNumber("uptimeMs").longValue());
  }

  /** On a clean shutdown: leave the cluster at once instead of waiting for the key to expire. */
  public void leave() {
    try {
      store.call(
          j -> {
            j.del(keys.node(self));
            j.srem(keys.nodes(), self);
            return null;
          });
    } catch (BrokerUnavailableException e) {
      // the key expires by itself
    }
  }
}
