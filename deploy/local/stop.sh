#!/usr/bin/env bash
# Stops the services run.sh started (by their PID files: TERM, up to 20 s, then KILL).
#   stop.sh [--infra]    --infra also runs 'infra.sh down' (stops only the infrastructure infra.sh started)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$HERE/common.sh"

# Reverse start order: the issuer (workflow-service) last.
MODULES=(orchestrator-service dispatcher-service relay-service backbone-service worker-agent workflow-service)
STOP_TIMEOUT=20

infra=0
for arg in "$@"; do
  case "$arg" in
    --infra) infra=1 ;;
    -h|--help) echo "usage: $0 [--infra]"; exit 0 ;;
    *) die "unknown argument '$arg' (try --help)" ;;
  esac
done

ensure_state_dirs

# TERM every live service first, then wait for all of them against one deadline.
declare -A stopping=()
for module in "${MODULES[@]}"; do
  pidf="$PIDS/$module.pid"
  [ -f "$pidf" ] || continue
  if pid=$(live_pid "$pidf" "$module/target/quarkus-app/quarkus-run.jar"); then
    kill -TERM "$pid" 2>/dev/null || true
    stopping[$module]=$pid
    msg "$module: TERM sent (pid $pid)"
  else
    msg "$module: not running (stale PID file removed)"
  fi
done

deadline=$(( $(now_ms) + STOP_TIMEOUT * 1000 ))
while [ "${#stopping[@]}" -gt 0 ]; do
  for module in "${!stopping[@]}"; do
    pid=${stopping[$module]}
    if pid_gone "$pid"; then
      rm -f "$PIDS/$module.pid"
      unset "stopping[$module]"
      msg "$module: stopped"
    fi
  done
  [ "${#stopping[@]}" -eq 0 ] && break
  if [ "$(now_ms)" -ge "$deadline" ]; then
    for module in "${!stopping[@]}"; do
      pid=${stopping[$module]}
      warn "$module (pid $pid) did not stop within ${STOP_TIMEOUT} s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_for 5 pid_gone "$pid" || warn "$module (pid $pid) still alive after KILL"
      rm -f "$PIDS/$module.pid"
    done
    break
  fi
  sleep 0.5
done
msg "services stopped"

if [ "$infra" -eq 1 ]; then
  "$HERE/infra.sh" down
fi
