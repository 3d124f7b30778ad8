#!/usr/bin/env bash
# Local infrastructure for Bulwark: PostgreSQL 5432, Redis 6379, RabbitMQ 5672, Kafka 9092 (KRaft), an S3-compatible
# server 9000 (S3Proxy), all on 127.0.0.1.
#   infra.sh [up] [--docker] [component...]  start what is missing (installing Debian packages if needed), create the
#                             databases, wait; --docker (or BULWARK_DOCKER=1) also starts a Docker engine for
#                             worker-agent's container apps
#   infra.sh down [component...]    stop only what infra.sh itself started (markers in .state/started/)
#   infra.sh status [component...]  one line per component
# Components: postgresql redis rabbitmq kafka s3 (default: all).
# Anything already answering on a port is used as is and never stopped.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$HERE/common.sh"

TIMEOUT="${BULWARK_INFRA_TIMEOUT:-90}"   # seconds to wait for each component to answer
KAFKA_STATE="$STATE/kafka"
KAFKA_LIB="$KAFKA_STATE/lib"
KAFKA_PROPS="$KAFKA_STATE/server.properties"
KAFKA_DATA="$KAFKA_STATE/data"
KAFKA_LOG4J="$HERE/kafka/log4j2.xml"
PG_DATABASES=(bulwark_workflow bulwark_backbone bulwark_relay bulwark_orchestrator)
DOCKER_SOCKET=/var/run/docker.sock

usage() {
  cat <<EOF
usage: $0 [up [--docker]|down|status] [postgresql|redis|rabbitmq|kafka|s3 ...]
  up      (default) start PostgreSQL, Redis, RabbitMQ, Kafka and S3Proxy where nothing answers yet; create
          role/databases and the bucket $S3_BUCKET
          --docker (or BULWARK_DOCKER=1): also a Docker engine on $DOCKER_SOCKET (Debian docker.io, dockerd with
          the vfs storage driver, no iptables, no bridge) and busybox-static, which worker-agent's example app needs
  down    stop what infra.sh started; leave alone what was already running
  status  print one line per component
  Naming components limits the command to them (down of all components also stops the Docker engine).
Environment: BULWARK_INFRA_TIMEOUT (default 90 s per component), BULWARK_PG_ADMIN_USER / BULWARK_PG_ADMIN_PASSWORD
(superuser for TCP access when peer authentication as the postgres OS user is not possible), BULWARK_S3_PORT
(default 9000), BULWARK_LOCAL_STATE (state directory, default deploy/local/.state).
EOF
}

# One status line on stdout.
report() { printf '%-10s 127.0.0.1:%-5s %s\n' "$1" "$2" "$3"; }

# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL
pg_ready() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p 5432 -t 2
  else
    port_open 5432
  fi
}

# Cluster (version and name) configured for port 5432, from pg_lsclusters: "15 main online".
pg_cluster_5432() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 1
  pg_lsclusters --no-header 2>/dev/null | awk '$3 == 5432 { print $1, $2, $4; found = 1; exit } END { exit !found }'
}

as_postgres() {
  if [ "$(id -un)" = postgres ]; then
    (cd / && "$@")
  elif [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && sudo -n -u postgres -- "$@")
  fi
}

# How to run psql as a superuser: "peer" (postgres OS user, local socket) or "tcp" (127.0.0.1 as the admin user).
PG_ADMIN_MODE=""
pg_pick_admin() {
  if id postgres >/dev/null 2>&1 && as_postgres psql -X -w -p 5432 -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    PG_ADMIN_MODE=peer
  elif PGPASSWORD="${BULWARK_PG_ADMIN_PASSWORD:-${PGPASSWORD:-}}" PGCONNECT_TIMEOUT=5 \
       psql -X -w -h 127.0.0.1 -p 5432 -U "${BULWARK_PG_ADMIN_USER:-postgres}" -d postgres -tAc 'select 1' \
       >/dev/null 2>&1; then
    PG_ADMIN_MODE=tcp
  else
    return 1
  fi
}

pg_admin_psql() {
  case "$PG_ADMIN_MODE" in
    peer) as_postgres psql -X -w -q -v ON_ERROR_STOP=1 -p 5432 -d postgres "$@" ;;
    tcp)  PGPASSWORD="${BULWARK_PG_ADMIN_PASSWORD:-${PGPASSWORD:-}}" PGCONNECT_TIMEOUT=5 \
            psql -X -w -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 5432 -U "${BULWARK_PG_ADMIN_USER:-postgres}" -d postgres "$@" ;;
  esac
}

pg_bulwark_ok() {
  PGPASSWORD=bulwark PGCONNECT_TIMEOUT=5 psql -X -w -h 127.0.0.1 -p 5432 -U bulwark -d "$1" -tAc 'select 1' >/dev/null 2>&1
}

pg_provision() {
  command -v psql >/dev/null 2>&1 || apt_install postgresql-client
  if ! wait_for 30 pg_pick_admin; then
    # Without superuser access we can still work if everything already exists.
    local db missing=0
    for db in "${PG_DATABASES[@]}"; do pg_bulwark_ok "$db" || missing=1; done
    [ "$missing" -eq 0 ] || die "PostgreSQL answers on 127.0.0.1:5432 but neither peer auth as 'postgres' nor TCP as \
'${BULWARK_PG_ADMIN_USER:-postgres}' works, and role/databases bulwark are not all usable; set BULWARK_PG_ADMIN_USER/BULWARK_PG_ADMIN_PASSWORD"
    warn "no superuser access to PostgreSQL; role bulwark and its databases already work, leaving them as they are"
    return 0
  fi
  local dblist
  dblist=$(printf "'%s'," "${PG_DATABASES[@]}"); dblist=${dblist%,}
  pg_admin_psql -f - >/dev/null <<SQL
SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bulwark')
            THEN 'ALTER ROLE bulwark WITH LOGIN CREATEDB PASSWORD ''bulwark'''
            ELSE 'CREATE ROLE bulwark WITH LOGIN CREATEDB PASSWORD ''bulwark''' END
\gexec
SELECT format('CREATE DATABASE %I OWNER bulwark', d)
  FROM unnest(ARRAY[$dblist]) AS d
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d)
\gexec
SELECT format('ALTER DATABASE %I OWNER TO bulwark', datname)
  FROM pg_database
 WHERE datname IN ($dblist) AND datdba <> (SELECT oid FROM pg_roles WHERE rolname = 'bulwark')
\gexec
SQL
  local db
  for db in "${PG_DATABASES[@]}"; do
    pg_bulwark_ok "$db" || die "role bulwark cannot connect to $db over TCP with its password (check pg_hba.conf: \
host ... 127.0.0.1/32 must allow md5 or scram-sha-256)"
  done
  msg "postgresql: role bulwark and databases ${PG_DATABASES[*]} ready (admin via $PG_ADMIN_MODE)"
}

pg_up() {
  local how="already running" t0 cluster ver name status
  t0=$(now_ms)
  if ! pg_ready; then
    if ! cluster=$(pg_cluster_5432); then
      if command -v pg_lsclusters >/dev/null 2>&1 && [ -n "$(pg_lsclusters --no-header 2>/dev/null)" ]; then
        pg_lsclusters >&2 || true
        die "PostgreSQL clusters exist but none is configured for port 5432"
      fi
      port_open 5432 && die "something answers on 127.0.0.1:5432 but is not an accepting PostgreSQL server"
      apt_install postgresql
      cluster=$(pg_cluster_5432) || die "PostgreSQL installed but no cluster on port 5432 (see pg_lsclusters)"
    fi
    read -r ver name status <<<"$cluster"
    if [[ "$status" != online* ]]; then
      msg "postgresql: pg_ctlcluster $ver $name start"
      as_root pg_ctlcluster "$ver" "$name" start 9>&-
      echo "$ver $name" >"$STARTED/postgresql"
      how="started"
    fi
    wait_for "$TIMEOUT" pg_ready || die "PostgreSQL cluster $ver/$name did not answer on 127.0.0.1:5432 within ${TIMEOUT} s \
(log: /var/log/postgresql/postgresql-$ver-$name.log)"
    [ "$how" = started ] && msg "postgresql: started in $(since "$t0")"
  fi
  pg_provision
  report postgresql 5432 "up ($how)"
}

pg_down() {
  local ver name
  if [ -f "$STARTED/postgresql" ]; then
    read -r ver name <"$STARTED/postgresql"
    if pg_lsclusters --no-header 2>/dev/null | awk -v v="$ver" -v n="$name" '$1 == v && $2 == n && $4 == "online" { f = 1 } END { exit !f }'; then
      msg "postgresql: pg_ctlcluster $ver $name stop"
      as_root pg_ctlcluster "$ver" "$name" stop
      report postgresql 5432 "stopped"
    else
      report postgresql 5432 "already stopped"
    fi
    rm -f "$STARTED/postgresql"
  else
    report postgresql 5432 "left alone (not started by infra.sh)"
  fi
}

# ---------------------------------------------------------------------------------------------------------------
# Redis
redis_ready() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(timeout 3 redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]
  else
    port_open 6379
  fi
}

redis_up() {
  local how="already running" t0
  t0=$(now_ms)
  if ! port_open 6379; then
    if ! command -v redis-server >/dev/null 2>&1; then
      apt_install redis-server
    fi
    if ! port_open 6379; then   # a package on a systemd host may have started its own service
      mkdir -p "$STATE/redis"
      # Append-only file: the orchestrator's run event streams live only in Redis, so a restart must keep them
      # (the fault suite found ended runs answering no events after a restart without it).
      redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly yes --appendfsync everysec --daemonize yes \
        --dir "$STATE/redis" --pidfile "$PIDS/redis.pid" --logfile "$LOGS/redis.log" 9>&- \
        || die "redis-server failed to start (log: $LOGS/redis.log)"
      touch "$STARTED/redis"
      how="started"
    fi
  fi
  wait_for "$TIMEOUT" redis_ready || { show_log_tail "$LOGS/redis.log"; die "Redis did not answer on 127.0.0.1:6379 within ${TIMEOUT} s"; }
  [ "$how" = started ] && msg "redis: started in $(since "$t0")"
  report redis 6379 "up ($how)"
}

redis_down() {
  local pid
  if [ -f "$STARTED/redis" ]; then
    if pid=$(live_pid "$PIDS/redis.pid" redis-server); then
      if command -v redis-cli >/dev/null 2>&1; then
        timeout 10 redis-cli -h 127.0.0.1 -p 6379 shutdown nosave >/dev/null 2>&1 || true
      fi
      stop_pid "$pid" 20 redis
      report redis 6379 "stopped"
    else
      report redis 6379 "already stopped"
    fi
    rm -f "$STARTED/redis" "$PIDS/redis.pid"
  else
    report redis 6379 "left alone (not started by infra.sh)"
  fi
}

# ---------------------------------------------------------------------------------------------------------------
# RabbitMQ
rabbit_cmd() {
  # rabbitmq-server/rabbitmqctl live in /usr/sbin, which is not on every non-root PATH.
  local tool=$1; shift
  local path
  path=$(PATH="$PATH:/usr/sbin:/sbin" command -v "$tool") || die "$tool not found"
  as_root "$path" "$@"
}

rabbit_installed() { PATH="$PATH:/usr/sbin:/sbin" command -v rabbitmq-server >/dev/null 2>&1; }

rabbit_up() {
  local how="already running" t0 epmd_before=no
  t0=$(now_ms)
  if ! port_open 5672; then
    rabbit_installed || apt_install rabbitmq-server
    if ! port_open 5672; then
      port_open 4369 && epmd_before=yes
      msg "rabbitmq: rabbitmq-server -detached (broker log under /var/log/rabbitmq)"
      # Loopback only; guest/guest is allowed from loopback by default, which is what the services use.
      RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=5672 \
        rabbit_cmd rabbitmq-server -detached >>"$LOGS/rabbitmq.log" 2>&1 9>&- \
        || { show_log_tail "$LOGS/rabbitmq.log"; die "rabbitmq-server -detached failed"; }
      echo "epmd_was_running=$epmd_before" >"$STARTED/rabbitmq"
      how="started"
      if ! rabbit_await >>"$LOGS/rabbitmq.log" 2>&1; then
        show_log_tail "$LOGS/rabbitmq.log"
        die "RabbitMQ did not finish starting within ${TIMEOUT} s (see /var/log/rabbitmq/)"
      fi
    fi
  fi
  wait_for "$TIMEOUT" port_open 5672 || die "RabbitMQ did not answer on 127.0.0.1:5672 within ${TIMEOUT} s (see /var/log/rabbitmq/)"
  [ "$how" = started ] && msg "rabbitmq: started in $(since "$t0")"
  report rabbitmq 5672 "up ($how)"
}

# rabbitmqctl await_startup, retried until the node is reachable (a just-detached node may not be registered yet).
rabbit_await() {
  local ctl deadline
  ctl=$(PATH="$PATH:/usr/sbin:/sbin" command -v rabbitmqctl) || return 1
  deadline=$(( $(now_ms) + TIMEOUT * 1000 ))
  until as_root timeout 30 "$ctl" await_startup --timeout 25; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 1
  done
}

rabbit_down() {
  local epmd_was_running=yes
  if [ -f "$STARTED/rabbitmq" ]; then
    # shellcheck disable=SC1091
    . "$STARTED/rabbitmq"
    if port_open 5672; then
      msg "rabbitmq: rabbitmqctl stop"
      as_root timeout 60 "$(PATH="$PATH:/usr/sbin:/sbin" command -v rabbitmqctl)" stop >>"$LOGS/rabbitmq.log" 2>&1 \
        || warn "rabbitmqctl stop failed (see $LOGS/rabbitmq.log)"
      wait_for 30 port_closed 5672 \
        || warn "RabbitMQ still answers on 5672"
      report rabbitmq 5672 "stopped"
    else
      report rabbitmq 5672 "already stopped"
    fi
    # RabbitMQ started epmd (port 4369) as a side effect: stop it too if it was not running before and is now idle.
    if [ "$epmd_was_running" = no ] && command -v epmd >/dev/null 2>&1 && port_open 4369; then
      if ! epmd -names 2>/dev/null | grep -q '^name '; then
        epmd -kill >/dev/null 2>&1 || true
      fi
    fi
    rm -f "$STARTED/rabbitmq"
  else
    report rabbitmq 5672 "left alone (not started by infra.sh)"
  fi
}

# ---------------------------------------------------------------------------------------------------------------
# Kafka (KRaft, single node, jars from Maven Central)
kafka_java() {
  mkdir -p "$LOGS"
  "$JAVA_BIN" -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dkafka.logs.dir="$LOGS" -cp "$KAFKA_LIB/*" "$@"
}

kafka_fetch() {
  if compgen -G "$KAFKA_LIB/kafka_2.13-*.jar" >/dev/null; then
    return 0
  fi
  if [ -d "$KAFKA_LIB" ]; then
    warn "kafka: $KAFKA_LIB has no kafka_2.13 jar; fetching again"
    rm -rf "$KAFKA_LIB"
  fi
  local tmp="$KAFKA_STATE/lib.partial" t0
  t0=$(now_ms)
  rm -rf "$tmp"
  mkdir -p "$KAFKA_STATE"
  msg "kafka: copying Kafka jars from the Maven repository (first time only)"
  (cd "$ROOT" && "$ROOT/mvnw" -B -q -f "$HERE/kafka/pom.xml" package -Dkafka.lib.dir="$tmp") \
    || die "fetching the Kafka jars failed (mvnw -f deploy/local/kafka/pom.xml package)"
  compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || die "kafka: the copy produced no kafka_2.13 jar in $tmp"
  mv "$tmp" "$KAFKA_LIB"
  msg "kafka: $(find "$KAFKA_LIB" -name '*.jar' | wc -l) jars ($(du -sh "$KAFKA_LIB" | cut -f1)) copied in $(since "$t0")"
}

kafka_write_props() {
  mkdir -p "$KAFKA_DATA"
  local tmp="$KAFKA_PROPS.tmp"
  cat >"$tmp" <<EOF
# Generated by deploy/local/infra.sh; rewritten on every 'up'.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:9093
listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://127.0.0.1:9092
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=3
default.replication.factor=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
EOF
  mv "$tmp" "$KAFKA_PROPS"
}

kafka_format() {
  if [ -f "$KAFKA_DATA/meta.properties" ]; then
    return 0
  fi
  local id t0
  t0=$(now_ms)
  if [ -s "$KAFKA_STATE/cluster.id" ]; then
    id=$(tr -d '[:space:]' <"$KAFKA_STATE/cluster.id")
  else
    id=$(kafka_java kafka.tools.StorageTool random-uuid 2>>"$LOGS/kafka.log" | tail -n 1 | tr -d '[:space:]')
    [ -n "$id" ] || die "kafka: StorageTool random-uuid printed nothing (see $LOGS/kafka.log)"
    echo "$id" >"$KAFKA_STATE/cluster.id"
  fi
  msg "kafka: formatting storage (cluster id $id)"
  kafka_java kafka.tools.StorageTool format -t "$id" -c "$KAFKA_PROPS" --standalone >>"$LOGS/kafka.log" 2>&1 \
    || { show_log_tail "$LOGS/kafka.log"; die "kafka: storage format failed"; }
  msg "kafka: storage formatted in $(since "$t0")"
}

kafka_up() {
  local how="already running" t0 pid
  t0=$(now_ms)
  # The jars are also the Kafka command-line tools (demo.sh produces with them), wanted with any broker on 9092.
  kafka_fetch
  if ! port_open 9092; then
    if pid=$(live_pid "$PIDS/kafka.pid" kafka.Kafka); then
      how="started"   # ours, still starting up
      msg "kafka: pid $pid is still starting"
    else
      command -v "$JAVA_BIN" >/dev/null 2>&1 || die "java not found (set JAVA_HOME or install a JDK 17+)"
      kafka_fetch
      kafka_write_props
      kafka_format
      port_open 9093 && die "port 127.0.0.1:9093 (Kafka controller) is taken by another process"
      msg "kafka: starting broker (log $LOGS/kafka-server.log)"
      nohup "$JAVA_BIN" -Xmx512m -Xms256m -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dkafka.logs.dir="$LOGS" \
        -cp "$KAFKA_LIB/*" kafka.Kafka "$KAFKA_PROPS" >>"$LOGS/kafka.log" 2>&1 </dev/null 9>&- &
      pid=$!
      echo "$pid" >"$PIDS/kafka.pid"
      touch "$STARTED/kafka"
      if ! wait_exec "$pid" kafka.Kafka; then
        show_log_tail "$LOGS/kafka.log"
        rm -f "$PIDS/kafka.pid" "$STARTED/kafka"
        die "Kafka exited during startup"
      fi
      how="started"
    fi
    local deadline=$(( $(now_ms) + TIMEOUT * 1000 ))
    until port_open 9092; do
      if ! pid_matches "$pid" kafka.Kafka; then
        show_log_tail "$LOGS/kafka.log"; show_log_tail "$LOGS/kafka-server.log"
        rm -f "$PIDS/kafka.pid" "$STARTED/kafka"
        die "Kafka exited during startup"
      fi
      if [ "$(now_ms)" -ge "$deadline" ]; then
        show_log_tail "$LOGS/kafka-server.log"
        die "Kafka did not answer on 127.0.0.1:9092 within ${TIMEOUT} s (pid $pid still running)"
      fi
      sleep 0.5
    done
    msg "kafka: answering after $(since "$t0")"
  fi
  report kafka 9092 "up ($how)"
}

kafka_down() {
  local pid
  if [ -f "$STARTED/kafka" ]; then
    if pid=$(live_pid "$PIDS/kafka.pid" kafka.Kafka); then
      msg "kafka: stopping pid $pid"
      stop_pid "$pid" 60 kafka
      report kafka 9092 "stopped"
    else
      report kafka 9092 "already stopped"
    fi
    rm -f "$STARTED/kafka" "$PIDS/kafka.pid"
  else
    report kafka 9092 "left alone (not started by infra.sh)"
  fi
}

# ---------------------------------------------------------------------------------------------------------------
# S3-compatible object store (S3Proxy with its filesystem backend, jar from Maven Central, version from
# dispatcher-service/pom.xml): where the dispatcher reads upload_attachment's file_s3_bucket/file_s3_key. Credentials
# reach S3Proxy through its properties file and the dispatcher through $S3_CLIENT_ENV, never a command line.
s3_version() {
  sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' "$ROOT/dispatcher-service/pom.xml" | head -n 1
}

s3_jar() { echo "$S3_STATE/lib/s3proxy-$1-jar-with-dependencies.jar"; }

s3_fetch() {
  local version jar tmp="$S3_STATE/lib.partial" t0
  version=$(s3_version)
  [ -n "$version" ] || die "s3: no <s3proxy.version> in dispatcher-service/pom.xml"
  jar=$(s3_jar "$version")
  [ -s "$jar" ] && return 0
  t0=$(now_ms)
  rm -rf "$tmp"
  mkdir -p "$tmp" "$S3_STATE/lib"
  msg "s3: copying S3Proxy $version from the Maven repository (first time only)"
  (cd "$ROOT" && "$ROOT/mvnw" -B -q -N dependency:copy -Dartifact="org.gaul:s3proxy:$version:jar:jar-with-dependencies" \
    -DoutputDirectory="$tmp") || die "fetching S3Proxy failed (mvnw dependency:copy org.gaul:s3proxy:$version)"
  [ -s "$tmp/$(basename "$jar")" ] || die "s3: the copy produced no $(basename "$jar") in $tmp"
  mv "$tmp/$(basename "$jar")" "$jar"
  rm -rf "$tmp"
  msg "s3: S3Proxy $version copied in $(since "$t0")"
}

# A key pair generated on the first 'up' and kept ($S3_STATE/credentials, mode 600), and the dispatcher's settings
# derived from it, rewritten on every 'up' (the port may have changed): both read by S3Proxy and the dispatcher only.
s3_configure() {
  local access secret
  if [ ! -s "$S3_STATE/credentials" ]; then
    (umask 077 && mkdir -p "$S3_STATE" \
      && printf 'access=bulwark-%s\nsecret=%s\n' "$(openssl rand -hex 8)" "$(openssl rand -hex 24)" \
        >"$S3_STATE/credentials.tmp" && mv "$S3_STATE/credentials.tmp" "$S3_STATE/credentials")
  fi
  chmod 600 "$S3_STATE/credentials"
  access=$(sed -n 's/^access=//p' "$S3_STATE/credentials")
  secret=$(sed -n 's/^secret=//p' "$S3_STATE/credentials")
  [ -n "$access" ] && [ -n "$secret" ] || die "s3: $S3_STATE/credentials has no access/secret (delete it to generate new ones)"
  (umask 077 && printf '%s\n' \
    "BULWARK_DISPATCHER_S3_ENDPOINT=http://127.0.0.1:$S3_PORT" \
    "BULWARK_DISPATCHER_S3_ACCESS_KEY=$access" \
    "BULWARK_DISPATCHER_S3_SECRET_KEY=$secret" \
    "BULWARK_DISPATCHER_S3_BUCKETS=$S3_BUCKET" >"$S3_CLIENT_ENV.tmp")
  mv "$S3_CLIENT_ENV.tmp" "$S3_CLIENT_ENV"
  # The filesystem backend keeps a bucket as a directory: the dispatcher's bucket exists from the first start. It
  # serves a file that others may read without authentication, so data is written (umask 077, below) and kept private.
  (umask 077 && mkdir -p "$S3_STATE/data/$S3_BUCKET")
  chmod 700 "$S3_STATE/data" "$S3_STATE/data/$S3_BUCKET"
  (umask 077 && printf '%s\n' \
    "# Generated by deploy/local/infra.sh; rewritten on every 'up'." \
    "s3proxy.endpoint=http://127.0.0.1:$S3_PORT" \
    "s3proxy.authorization=aws-v2-or-v4" \
    "s3proxy.identity=$access" \
    "s3proxy.credential=$secret" \
    "jclouds.provider=filesystem" \
    "jclouds.filesystem.basedir=$S3_STATE/data" >"$S3_STATE/s3proxy.properties.tmp")
  mv "$S3_STATE/s3proxy.properties.tmp" "$S3_STATE/s3proxy.properties"
}

s3_up() {
  local how="already running" t0 pid jar
  t0=$(now_ms)
  if ! port_open "$S3_PORT"; then
    if pid=$(live_pid "$PIDS/s3proxy.pid" org.gaul.s3proxy.Main); then
      msg "s3: pid $pid is still starting"
    else
      command -v "$JAVA_BIN" >/dev/null 2>&1 || die "java not found (set JAVA_HOME or install a JDK 17+)"
      s3_fetch
      jar=$(s3_jar "$(s3_version)")
      s3_configure
      msg "s3: starting S3Proxy (log $LOGS/s3proxy.log)"
      (umask 077 && exec nohup "$JAVA_BIN" -Xmx256m -cp "$jar" org.gaul.s3proxy.Main \
        --properties "$S3_STATE/s3proxy.properties" >>"$LOGS/s3proxy.log" 2>&1 </dev/null 9>&-) &
      pid=$!
      echo "$pid" >"$PIDS/s3proxy.pid"
      touch "$STARTED/s3"
      if ! wait_exec "$pid" org.gaul.s3proxy.Main; then
        show_log_tail "$LOGS/s3proxy.log"
        rm -f "$PIDS/s3proxy.pid" "$STARTED/s3"
        die "S3Proxy exited during startup"
      fi
    fi
    how="started"
    local deadline=$(( $(now_ms) + TIMEOUT * 1000 ))
    until port_open "$S3_PORT"; do
      if ! pid_matches "$pid" org.gaul.s3proxy.Main; then
        show_log_tail "$LOGS/s3proxy.log"
        rm -f "$PIDS/s3proxy.pid" "$STARTED/s3"
        die "S3Proxy exited during startup"
      fi
      [ "$(now_ms)" -lt "$deadline" ] || { show_log_tail "$LOGS/s3proxy.log"; die "S3Proxy did not answer on 127.0.0.1:$S3_PORT within ${TIMEOUT} s (pid $pid still running)"; }
      sleep 0.5
    done
    msg "s3: answering after $(since "$t0")"
  elif ! live_pid "$PIDS/s3proxy.pid" org.gaul.s3proxy.Main >/dev/null; then
    warn "s3: something not started by infra.sh answers on 127.0.0.1:$S3_PORT; left alone, and the dispatcher gets no \
S3 settings from infra.sh (set BULWARK_S3_PORT to use another port)"
    rm -f "$S3_CLIENT_ENV"
  fi
  report s3 "$S3_PORT" "up ($how), bucket $S3_BUCKET"
}

s3_down() {
  local pid
  if [ -f "$STARTED/s3" ]; then
    if pid=$(live_pid "$PIDS/s3proxy.pid" org.gaul.s3proxy.Main); then
      msg "s3: stopping pid $pid"
      stop_pid "$pid" 20 s3proxy
      report s3 "$S3_PORT" "stopped"
    else
      report s3 "$S3_PORT" "already stopped"
    fi
    rm -f "$STARTED/s3" "$PIDS/s3proxy.pid"
  else
    report s3 "$S3_PORT" "left alone (not started by infra.sh)"
  fi
}

# ---------------------------------------------------------------------------------------------------------------
# Docker engine (opt-in: worker-agent's container apps). No registry is reachable: images are built locally.
docker_ready() {
  [ -S "$DOCKER_SOCKET" ] && curl -sf -m 3 --unix-socket "$DOCKER_SOCKET" http://localhost/_ping >/dev/null 2>&1
}

docker_up() {
  local how="already running" t0 pid
  t0=$(now_ms)
  # The example app's image is FROM scratch: it needs the static busybox (Debian's "busybox" is dynamic).
  dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || apt_install busybox-static
  if ! docker_ready; then
    PATH="$PATH:/usr/sbin:/sbin" command -v dockerd >/dev/null 2>&1 || apt_install docker.io
    if pid=$(live_pid "$PIDS/dockerd.pid" dockerd); then
      msg "docker: dockerd pid $pid is still starting"
    elif pid=$(pgrep -x dockerd | head -n 1) && [ -n "$pid" ]; then
      msg "docker: a dockerd not started by infra.sh (pid $pid) is running; waiting for it to answer"
    else
      if [ -e "$DOCKER_SOCKET" ]; then
        msg "docker: removing $DOCKER_SOCKET left by a dockerd that is gone"
        rm -f "$DOCKER_SOCKET"
      fi
      msg "docker: starting dockerd (vfs storage driver, no iptables, no bridge; log $LOGS/dockerd.log)"
      nohup "$(PATH="$PATH:/usr/sbin:/sbin" command -v dockerd)" --storage-driver=vfs --iptables=false --bridge=none \
        -H "unix://$DOCKER_SOCKET" --pidfile "$STATE/dockerd.engine.pid" >>"$LOGS/dockerd.log" 2>&1 </dev/null 9>&- &
      pid=$!
      echo "$pid" >"$PIDS/dockerd.pid"
      touch "$STARTED/docker"
      # Until nohup has exec'd dockerd, $pid's command line is this script's: wait for the exec before the checks.
      if ! wait_exec "$pid" dockerd; then
        show_log_tail "$LOGS/dockerd.log"
        rm -f "$PIDS/dockerd.pid" "$STARTED/docker"
        die "dockerd exited during startup"
      fi
      how="started"
    fi
    local deadline=$(( $(now_ms) + TIMEOUT * 1000 ))
    until docker_ready; do
      if ! pid_matches "$pid" dockerd; then
        show_log_tail "$LOGS/dockerd.log"
        rm -f "$PIDS/dockerd.pid" "$STARTED/docker"
        die "dockerd exited during startup"
      fi
      [ "$(now_ms)" -lt "$deadline" ] || { show_log_tail "$LOGS/dockerd.log"; die "dockerd did not answer on $DOCKER_SOCKET within ${TIMEOUT} s"; }
      sleep 0.5
    done
    msg "docker: answering after $(since "$t0")"
  fi
  printf '%-10s %-15s %s\n' docker "$DOCKER_SOCKET" "up ($how)"
}

docker_down() {
  local pid
  if [ -f "$STARTED/docker" ]; then
    if pid=$(live_pid "$PIDS/dockerd.pid" dockerd); then
      msg "docker: stopping dockerd pid $pid"
      stop_pid "$pid" 30 dockerd
      printf '%-10s %-15s %s\n' docker "$DOCKER_SOCKET" stopped
    else
      printf '%-10s %-15s %s\n' docker "$DOCKER_SOCKET" "already stopped"
    fi
    rm -f "$STARTED/docker" "$PIDS/dockerd.pid"
  else
    printf '%-10s %-15s %s\n' docker "$DOCKER_SOCKET" "left alone (not started by infra.sh)"
  fi
}

# ---------------------------------------------------------------------------------------------------------------
status_line() {
  local name=$1 port=$2 owner=""
  [ -f "$STARTED/$name" ] && owner=" (started by infra.sh)"
  if port_open "$port"; then
    report "$name" "$port" "up$owner"
  else
    report "$name" "$port" "down"
    return 1
  fi
}

# Serialises up/down. Daemons started below get '9>&-' so that they do not inherit (and keep) the lock.
lock() {
  ensure_state_dirs
  exec 9>"$STATE/infra.lock"
  flock -w 900 9 || die "another infra.sh holds $STATE/infra.lock for more than 900 s"
}

cmd=${1:-up}
with_docker=${BULWARK_DOCKER:-0}
[ "$with_docker" = 1 ] || with_docker=0
# Components named on the command line (default: all of them).
only=()
if [ "$#" -gt 1 ]; then
  for arg in "${@:2}"; do
    case "$arg" in
      --docker) [ "$cmd" = up ] || die "--docker goes with 'up'"; with_docker=1 ;;
      postgresql|redis|rabbitmq|kafka|s3) only+=("$arg") ;;
      *) usage >&2; exit 2 ;;
    esac
  done
fi
wanted() { [ "${#only[@]}" -eq 0 ] || [[ " ${only[*]} " == *" $1 "* ]]; }
case "$cmd" in
  up)
    lock
    t_all=$(now_ms)
    if wanted postgresql; then pg_up; fi
    if wanted redis; then redis_up; fi
    if wanted rabbitmq; then rabbit_up; fi
    if wanted kafka; then kafka_up; fi
    if wanted s3; then s3_up; fi
    if [ "$with_docker" -eq 1 ]; then docker_up; fi
    msg "infrastructure ready in $(since "$t_all")"
    ;;
  down)
    lock
    if [ "${#only[@]}" -eq 0 ]; then docker_down; fi
    if wanted s3; then s3_down; fi
    if wanted kafka; then kafka_down; fi
    if wanted rabbitmq; then rabbit_down; fi
    if wanted redis; then redis_down; fi
    if wanted postgresql; then pg_down; fi
    ;;
  status)
    ensure_state_dirs
    rc=0
    if wanted postgresql; then status_line postgresql 5432 || rc=1; fi
    if wanted redis; then status_line redis 6379 || rc=1; fi
    if wanted rabbitmq; then status_line rabbitmq 5672 || rc=1; fi
    if wanted kafka; then status_line kafka 9092 || rc=1; fi
    if wanted s3; then status_line s3 "$S3_PORT" || rc=1; fi
    if [ "${#only[@]}" -eq 0 ] && { [ -f "$STARTED/docker" ] || [ -S "$DOCKER_SOCKET" ]; }; then
      if docker_ready; then
        printf '%-10s %-15s %s\n' docker "$DOCKER_SOCKET" "up$([ -f "$STARTED/docker" ] && echo ' (started by infra.sh)')"
      else
        printf '%-10s %-15s %s\n' docker "$DOCKER_SOCKET" down
        rc=1
      fi
    fi
    exit "$rc"
    ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
