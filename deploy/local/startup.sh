#!/usr/bin/env bash
# Measures JVM start-to-ready and resident memory of the six packaged services (target/quarkus-app), one at a time,
# on ports 28081-28086 (never the run.sh suite's 8081-8086), against the running infrastructure.
#   startup.sh [--runs N] [--variants "jdk17 jdk17-cds jdk25 jdk25-aot ..."] [service...]
# Each service gets databases of its own (bulwark_bench_<name>, created once), its own Kafka topic and group, and a
# state directory of its own (.state/bench-start: issuer keys, admin, service accounts). workflow-service (the JWT
# issuer) is measured first, then started once more and kept up while the others are measured.
# A variant is <jdk>[-cds|-aot][+heap][+c1]: jdk17 = Java 17 with no options (run.sh before its JVM defaults); -cds =
# Java 17 with an AppCDS archive (-XX:SharedArchiveFile), -aot = Java 25 with an AOT cache (-XX:AOTCache), both made
# once per jar by a training start (the service boots to ready and is stopped); +heap adds the heap defaults
# (heap_opts); +c1 adds -XX:TieredStopAtLevel=1 (no C2 compiler: what the JIT costs a start, docs/operations.md).
# The jars measured are a copy of target/quarkus-app in .state/bench-start/apps/<service> (with the archives), made
# at the start, so a build meanwhile changes nothing.
# Output: one line per service and variant on stdout,
#   BENCH|start|<service>|variant=<v>|ready_s=<mean>|ready_min_s=<min>|cpu_s=<mean>|rss_mb=<mean>|runs=<N>|load=<1 min>
# and the progress on stderr. Environment: JAVA17_HOME, JAVA25_HOME, BULWARK_LOCAL_STATE, BULWARK_READY_TIMEOUT
# (seconds per start, default 600).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$HERE/common.sh"

JAVA17="${JAVA17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java"
JAVA25="${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
SERVICES_ALL=(workflow-service worker-agent backbone-service relay-service dispatcher-service orchestrator-service)
BSTATE="$STATE/bench-start"
READY_TIMEOUT_MS=$(( ${BULWARK_READY_TIMEOUT:-600} * 1000 ))

runs=3 variants="jdk17 jdk17-cds+heap jdk25 jdk25-aot+heap" services=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --variants) variants=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (try --help)" ;;
    *) printf '%s\n' "${SERVICES_ALL[@]}" | grep -qx -- "$1" || die "unknown service $1 (one of: ${SERVICES_ALL[*]})"
       services+=("$1"); shift ;;
  esac
done
[ "${#services[@]}" -gt 0 ] || services=("${SERVICES_ALL[@]}")

port_of() {
  case "$1" in
    workflow-service) echo 28081 ;; worker-agent) echo 28082 ;; backbone-service) echo 28083 ;;
    relay-service) echo 28084 ;; dispatcher-service) echo 28085 ;; orchestrator-service) echo 28086 ;;
  esac
}
# The measured copy of a service's target/quarkus-app (with its archives): a build during the measure cannot change it.
app_of() { echo "$BSTATE/apps/$1"; }
snapshot() {
  local src="$ROOT/$1/target/quarkus-app" dst
  dst=$(app_of "$1")
  mkdir -p "$dst"
  rm -rf "$dst/app" "$dst/lib" "$dst/quarkus" "$dst/quarkus-run.jar"
  cp -a "$src/app" "$src/lib" "$src/quarkus" "$src/quarkus-run.jar" "$dst/"
}

# The heap defaults run.sh passes (docs/operations.md, "JVM settings"): the serial collector, a small initial heap
# and a heap cap.
heap_opts() {
  case "$1" in
    workflow-service) echo "-XX:+UseSerialGC -Xms32m -Xmx384m" ;;
    *) echo "-XX:+UseSerialGC -Xms32m -Xmx256m" ;;
  esac
}

ISSUER="http://localhost:28081"
# Settings shared by all: the bench issuer, loopback only.
common_props() {
  echo "-Dquarkus.http.host=127.0.0.1 -Dmp.jwt.verify.issuer=$ISSUER -Dmp.jwt.verify.publickey.location=$ISSUER/.well-known/jwks.json"
}
db() { echo "jdbc:postgresql://127.0.0.1:5432/bulwark_bench_$1"; }
service_props() {
  case "$1" in
    workflow-service) echo "-Dquarkus.management.port=29081 -Dquarkus.datasource.jdbc.url=$(db workflow) \
-Dbulwark.issuer.private-key=$BSTATE/keys/private.pem -Dmp.messaging.outgoing.execution-events.topic=bulwark.bench.execution-events" ;;
    worker-agent) echo "-Dbulwark.workflow.url=$ISSUER" ;;
    backbone-service) echo "-Dquarkus.datasource.jdbc.url=$(db backbone) -Dquarkus.rest-client.issuer.url=$ISSUER" ;;
    relay-service) echo "-Dquarkus.datasource.jdbc.url=$(db relay) -Dbulwark.relay.public-url=http://localhost:28084" ;;
    dispatcher-service) echo "-Dbulwark.dispatcher.topics=bulwark.bench.observation -Dbulwark.dispatcher.group-id=bulwark-bench-dispatcher \
-Dbulwark.dispatcher.errors-topic=bulwark.bench.errors -Dbulwark.dispatcher.suite.issuer-url=$ISSUER \
-Dbulwark.dispatcher.suite.workflow-url=$ISSUER -Dbulwark.dispatcher.suite.backbone-url=http://localhost:28083 \
-Dbulwark.dispatcher.suite.relay-url=http://localhost:28084" ;;
    orchestrator-service) echo "-Dquarkus.datasource.jdbc.url=$(db orchestrator)" ;;
  esac
}

prepare_state() {
  mkdir -p "$LOGS"
  (umask 077 && mkdir -p "$BSTATE/keys" "$BSTATE/service-accounts")
  if [ ! -s "$BSTATE/keys/private.pem" ]; then
    (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$BSTATE/keys/private.pem" 2>/dev/null)
  fi
  if [ ! -s "$BSTATE/secrets.env" ]; then
    (umask 077 && printf '%s\n' "BULWARK_BOOTSTRAP_ADMIN_EMAIL=admin@bench.local" \
      "BULWARK_BOOTSTRAP_ADMIN_PASSWORD=Bw-$(openssl rand -hex 16)" \
      "BULWARK_WORKFLOW_CREDENTIALS_MASTER_KEYS_LOCAL=$(openssl rand -base64 32)" \
      "BULWARK_WORKFLOW_CREDENTIALS_ACTIVE_KEY_ID=local" \
      "BULWARK_BACKBONE_WEBHOOK_KEY=$(openssl rand -base64 32)" \
      "BULWARK_ORCHESTRATOR_JOB_KEY=$(openssl rand -base64 32)" >"$BSTATE/secrets.env")
  fi
  local account
  for account in worker-agent:worker dispatcher:dispatcher,relay-client,backbone-client; do
    local dir="$BSTATE/service-accounts/${account%%:*}"
    if [ ! -s "$dir/client-secret" ]; then
      (umask 077 && mkdir -p "$dir" && printf 'sa-bench-%s' "$(openssl rand -hex 12)" >"$dir/client-id" \
        && openssl rand -hex 24 | tr -d '\n' >"$dir/client-secret" && printf '%s' "${account#*:}" >"$dir/roles")
    fi
  done
  local name
  for name in workflow backbone relay orchestrator; do
    PGPASSWORD=bulwark psql -X -w -q -h 127.0.0.1 -U bulwark -d postgres -tAc \
      "select 1 from pg_database where datname = 'bulwark_bench_$name'" | grep -q 1 \
      || PGPASSWORD=bulwark psql -X -w -q -h 127.0.0.1 -U bulwark -d postgres -c "create database bulwark_bench_$name" \
      || die "cannot create database bulwark_bench_$name as role bulwark"
  done
}

# Environment of a service: its secrets, as run.sh passes them (never on the command line).
service_env() {
  local sa="$BSTATE/service-accounts"
  cat "$BSTATE/secrets.env"
  echo "BULWARK_SERVICE_ACCOUNTS_DIR=$sa"
  echo "BULWARK_WORKER_CLIENT_ID=$(cat "$sa/worker-agent/client-id")"
  echo "BULWARK_WORKER_CLIENT_SECRET=$(cat "$sa/worker-agent/client-secret")"
  echo "BULWARK_DISPATCHER_SUITE_CLIENT_ID=$(cat "$sa/dispatcher/client-id")"
  echo "BULWARK_DISPATCHER_SUITE_CLIENT_SECRET=$(cat "$sa/dispatcher/client-secret")"
}

# java_of <variant>, mode_of <variant>: the JVM and the archive kind (none, cds, aot).
java_of() { case "$1" in jdk25*) echo "$JAVA25" ;; *) echo "$JAVA17" ;; esac; }
mode_of() { case "$1" in *-cds*) echo cds ;; *-aot*) echo aot ;; *) echo none ;; esac; }
archive_of() { case "$2" in cds) echo "$(app_of "$1")/app-cds.jsa" ;; aot) echo "$(app_of "$1")/app.aot" ;; esac; }

PID=""
# launch <service> <java> <options...>: starts the service in the background; PID is set.
launch() {
  local svc=$1 java=$2; shift 2
  local -a envs
  mapfile -t envs < <(service_env)
  # shellcheck disable=SC2046  # the property lists are words
  (cd "$ROOT" && exec env "${envs[@]}" "$java" "$@" $(common_props) $(service_props "$svc") \
    -Dquarkus.http.port="$(port_of "$svc")" -jar "$(app_of "$svc")/quarkus-run.jar" \
    >"$LOGS/bench-start-$svc.log" 2>&1 </dev/null) &
  PID=$!
}

# wait_ready <service>: milliseconds until /q/health/ready answers 200; fails if the JVM dies or times out.
wait_ready() {
  local svc=$1 t0=$2 url code
  url="http://127.0.0.1:$(port_of "$svc")/q/health/ready"
  while :; do
    code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" 2>/dev/null) || code=000
    [ "$code" = 200 ] && { echo $(( $(now_ms) - t0 )); return 0; }
    pid_running "$PID" || { show_log_tail "$LOGS/bench-start-$svc.log" 40; die "$svc exited before it was ready"; }
    [ $(( $(now_ms) - t0 )) -lt "$READY_TIMEOUT_MS" ] || { stop_pid "$PID" 10 "$svc"; die "$svc not ready in time"; }
    sleep 0.05
  done
}

rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
# CPU time (user + system, all threads) the JVM has used, in milliseconds: unlike the wall clock, it hardly depends
# on what else the machine runs, so it compares variants on a loaded machine.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.0f", ($12 + $13) * 1000 / hz }' "/proc/$1/stat"; }

# stop_service <service> [timeout s]: TERM, then KILL after the timeout (a training start needs long enough for the
# JVM to write its archive as it exits).
stop_service() { stop_pid "$PID" "${2:-30}" "$1"; wait "$PID" 2>/dev/null || true; PID=""; }

# train <service> <variant>: one start with the archive's output option, stopped once ready (the JVM writes the
# archive as it exits). Skipped when the archive is newer than the service's jar.
train() {
  local svc=$1 variant=$2 mode archive t0
  mode=$(mode_of "$variant")
  [ "$mode" != none ] || return 0
  archive=$(archive_of "$svc" "$mode")
  [ -s "$archive" ] && [ "$archive" -nt "$(app_of "$svc")/quarkus-run.jar" ] && return 0
  rm -f "$archive"
  t0=$(now_ms)
  case "$mode" in
    cds) launch "$svc" "$(java_of "$variant")" -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=error ;;
    aot) launch "$svc" "$(java_of "$variant")" -XX:AOTCacheOutput="$archive" -Xlog:cds=error,aot=error ;;
  esac
  wait_ready "$svc" "$t0" >/dev/null
  stop_service "$svc" 600
  [ -s "$archive" ] || { show_log_tail "$LOGS/bench-start-$svc.log" 20; die "$svc: no archive written ($archive)"; }
  msg "$svc: $mode archive $(( $(stat -c %s "$archive") / 1048576 )) MB made in $(since "$t0")"
}

# warm_up <service>: one start that is not measured (a first start migrates the service's empty database and reads
# the jars into the page cache).
warm_up() {
  local svc=$1 t0
  t0=$(now_ms)
  launch "$svc" "$JAVA17"
  wait_ready "$svc" "$t0" >/dev/null
  stop_service "$svc"
  msg "$svc: warm-up start in $(since "$t0")"
}

options_of() {
  local svc=$1 variant=$2 mode
  mode=$(mode_of "$variant")
  case "$mode" in
    cds) echo "-XX:SharedArchiveFile=$(archive_of "$svc" cds)" ;;
    aot) echo "-XX:AOTCache=$(archive_of "$svc" aot)" ;;
  esac
  case "$variant" in *+heap*) heap_opts "$svc" ;; esac
  case "$variant" in *+c1*) echo "-XX:TieredStopAtLevel=1" ;; esac
}

measure() {
  local svc=$1 variant=$2 i t0 ms rss cpu total_ms=0 min_ms=0 total_rss=0 total_cpu=0 opts
  train "$svc" "$variant"
  opts=$(options_of "$svc" "$variant" | tr '\n' ' ')
  for i in $(seq 1 "$runs"); do
    t0=$(now_ms)
    # shellcheck disable=SC2086
    launch "$svc" "$(java_of "$variant")" $opts
    ms=$(wait_ready "$svc" "$t0")
    cpu=$(cpu_ms "$PID")
    # Resident memory once the start's burst has settled: what the service holds idle.
    sleep 2
    rss=$(rss_mb "$PID")
    stop_service "$svc"
    msg "$svc $variant run $i: ready $ms ms (CPU $cpu ms), RSS $rss MB"
    total_ms=$(( total_ms + ms )) total_rss=$(( total_rss + rss )) total_cpu=$(( total_cpu + cpu ))
    if [ "$min_ms" -eq 0 ] || [ "$ms" -lt "$min_ms" ]; then min_ms=$ms; fi
  done
  awk -v s="$svc" -v v="$variant" -v t="$total_ms" -v m="$min_ms" -v r="$total_rss" -v c="$total_cpu" -v n="$runs" \
    -v o="$opts" -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN { printf "BENCH|start|%s|variant=%s|ready_s=%.2f|ready_min_s=%.2f|cpu_s=%.2f|rss_mb=%.0f|runs=%d|load=%s|options=%s\n", s, v, t / n / 1000, m / 1000, c / n / 1000, r / n, n, l, o }'
}

for svc in "${services[@]}"; do
  [ -f "$ROOT/$svc/target/quarkus-app/quarkus-run.jar" ] || die "$svc/target/quarkus-app/quarkus-run.jar not found: package first"
  port_open "$(port_of "$svc")" && die "port $(port_of "$svc") is taken: stop what listens there first"
done
port_open 29081 && die "port 29081 (workflow-service's management port) is taken"
prepare_state
for svc in "${services[@]}" workflow-service; do snapshot "$svc"; done
ISSUER_PID=""
cleanup() {
  if [ -n "$PID" ]; then stop_pid "$PID" 10 service; fi
  if [ -n "$ISSUER_PID" ]; then stop_pid "$ISSUER_PID" 20 workflow-service; fi
}
trap cleanup EXIT

msg "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if printf '%s\n' "${services[@]}" | grep -qx workflow-service; then
  warm_up workflow-service
  for variant in $variants; do measure workflow-service "$variant"; done
fi
others=()
for svc in "${services[@]}"; do [ "$svc" = workflow-service ] || others+=("$svc"); done
if [ "${#others[@]}" -gt 0 ]; then
  t0=$(now_ms)
  launch workflow-service "$JAVA17"
  wait_ready workflow-service "$t0" >/dev/null
  ISSUER_PID=$PID PID=""
  msg "workflow-service up as the issuer (pid $ISSUER_PID)"
  for svc in "${others[@]}"; do
    warm_up "$svc"
    for variant in $variants; do measure "$svc" "$variant"; done
  done
fi
msg "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
