#!/usr/bin/env bash
# A local Switchboard cluster: Redis, two nodes and nginx on http://localhost:8080/.
# Needs redis-server and nginx on the PATH (Debian: apt-get install redis-server nginx).
# Ctrl+C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in redis-server nginx java mvn; do
  command -v "$tool" >/dev/null || { echo "Missing $tool (Debian: apt-get install redis-server nginx)"; exit 1; }
done

[ -f target/switchboard.war ] || mvn -q package -DskipTests
JAR=$(ls target/payara-micro-*.jar | head -1)
LOGS=target/local-cluster
mkdir -p "$LOGS"
PIDS=()
cleanup() {
  echo "Stopping the cluster"
  nginx -c "$PWD/cluster/nginx.conf" -s stop 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

redis-server --port 6379 --bind 127.0.0.1 --save "" --appendonly no > "$LOGS/redis.log" 2>&1 &
PIDS+=($!)

for n in 1 2; do
  SWITCHBOARD_BIND_ADDRESS=127.0.0.1 \
  SWITCHBOARD_REDIS_URL=redis://127.0.0.1:6379 \
  SWITCHBOARD_NODE_ID="node-$n" \
  SWITCHBOARD_TRUSTED_PROXIES=127.0.0.1 \
    java -jar "$JAR" --deploy target/switchboard.war --contextroot / --port "808$n" \
      --nohazelcast --rootdir "$LOGS/node-$n" \
      --prebootcommandfile payara-config/pre-boot-commands.txt > "$LOGS/node-$n.log" 2>&1 &
  PIDS+=($!)
  echo -n "Starting node-$n on 808$n "
  until curl -sf "http://127.0.0.1:808$n/health/ready" >/dev/null; do echo -n .; sleep 1; done
  echo " ready"
done

nginx -c "$PWD/cluster/nginx.conf"
echo "Cluster ready: http://localhost:8080/ (node-1 :8081, node-2 :8082, Redis :6379). Logs in $LOGS."
echo "Try: curl localhost:8080/api/stats"
wait
