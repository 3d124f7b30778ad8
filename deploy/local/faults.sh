#!/usr/bin/env bash
# The fault suite (before each release; not part of the default build): under steady load of every kind, kill -9
# each of the six services (worker-agent while it holds tasks) and restart PostgreSQL, RabbitMQ, Kafka and Redis in
# turn; per fault it counts accepted, completed, lost (must be 0), duplicated and recovery time, prints the report
# and writes it to .state/faults/<UTC stamp>.md. Exit code: Maven's (non-zero when anything accepted was lost).
#   faults.sh [--no-build] [maven args...]
# Without --no-build the six services are built first and no service may run on 8081-8086 (the suite starts its own
# and stops it at the end). With --no-build the jars are used as they are, and a suite run.sh already started is
# used as it is (and left running).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$HERE/common.sh"

usage() {
  cat <<EOF
usage: $0 [--no-build] [maven args...]
  Runs e2e's FaultSuite (mvnw verify -pl e2e -am -Pfaults): about 12 minutes for the ten faults, and it restarts
  the local PostgreSQL, RabbitMQ, Kafka and Redis, so never while others use them. Every infrastructure restart is
  logged with its UTC time in \$BULWARK_FAULTS_LOG (default .state/logs/faults.log).
Environment: BULWARK_FAULTS (comma-separated subset of kill-workflow-service kill-worker-agent kill-backbone-service
kill-relay-service kill-dispatcher-service kill-orchestrator-service postgresql rabbitmq kafka redis, default all in
that order; also none, a baseline without a fault), BULWARK_FAULTS_LOAD (seconds of load per fault, 45), BULWARK_FAULTS_AT (second of the load the fault
hits, 10), BULWARK_FAULTS_OUTAGE (seconds the infrastructure stays down, 5), BULWARK_FAULTS_SETTLE (seconds to wait
for everything accepted to complete, 150), BULWARK_FAULTS_TARGET_PORT (the orchestrator's target, 4000),
BULWARK_FAULTS_LOG, BULWARK_LOCAL_STATE.
EOF
}

build=1
maven_args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h|--help) usage; exit 0 ;;
    *) maven_args+=("$arg") ;;
  esac
done

ensure_state_dirs
"$HERE/infra.sh" up

props=(-Dbulwark.faults.log="${BULWARK_FAULTS_LOG:-$LOGS/faults.log}")
[ -n "${BULWARK_FAULTS:-}" ] && props+=(-Dbulwark.faults="$BULWARK_FAULTS")
[ -n "${BULWARK_FAULTS_LOAD:-}" ] && props+=(-Dbulwark.faults.load="$BULWARK_FAULTS_LOAD")
[ -n "${BULWARK_FAULTS_AT:-}" ] && props+=(-Dbulwark.faults.at="$BULWARK_FAULTS_AT")
[ -n "${BULWARK_FAULTS_OUTAGE:-}" ] && props+=(-Dbulwark.faults.outage="$BULWARK_FAULTS_OUTAGE")
[ -n "${BULWARK_FAULTS_SETTLE:-}" ] && props+=(-Dbulwark.faults.settle="$BULWARK_FAULTS_SETTLE")
[ -n "${BULWARK_FAULTS_TARGET_PORT:-}" ] && props+=(-Dbulwark.faults.target-port="$BULWARK_FAULTS_TARGET_PORT")

if [ "$build" -eq 1 ]; then
  # Packaging would replace the jars of a running suite under its feet.
  for port in 8081 8082 8083 8084 8085 8086; do
    port_open "$port" && die "port $port is in use: stop the suite first (stop.sh), or test it as it runs with --no-build"
  done
else
  props+=(-Dquarkus.build.skip=true)
fi

export BULWARK_LOCAL_STATE="$STATE"
msg "mvnw verify -pl e2e -am -Pfaults (report in ${STATE#"$ROOT"/}/faults/)"
cd "$ROOT"
exec "$ROOT/mvnw" -B verify -pl e2e -am -Pfaults -Dtest=FaultSuite -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=NONE -Dfailsafe.failIfNoSpecifiedTests=false "${props[@]}" "${maven_args[@]+"${maven_args[@]}"}"
