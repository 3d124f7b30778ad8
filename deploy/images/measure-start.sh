#!/usr/bin/env bash
# Measures how long a service image takes from `docker start` to ready, as the chart runs it (uid 185, read-only
# root, tmpfs /tmp, capabilities dropped, CPU and memory limits, host networking), several times.
#   measure-start.sh [--runs N] [--cpus C] [--memory M] <image> [-e NAME=VALUE ...]
# The -e options are passed to the container (its database URL and so on). The HTTP port is a free port of this
# machine, given as QUARKUS_HTTP_PORT. Prints each run's seconds to /q/health/started and /q/health/ready, their
# means, the image size and the load average before and after.
set -euo pipefail

runs=5 cpus=1 memory=640m
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --memory) memory=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "usage: measure-start.sh [--runs N] <image> [-e NAME=VALUE ...]" >&2; exit 2; }
image=$1; shift

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
status() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true; }

echo "image $image ($(( $(docker image inspect -f '{{.Size}}' "$image") / 1000000 )) MB), $runs runs, --cpus $cpus --memory $memory"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
total_started=0 total_ready=0
for i in $(seq 1 "$runs"); do
  port=$(free_port)
  id=$(docker create --network host --read-only --tmpfs /tmp:rw,nosuid,nodev,mode=1777 --user 185:185 \
    --cap-drop ALL --security-opt no-new-privileges --cpus "$cpus" --memory "$memory" \
    -e QUARKUS_HTTP_PORT="$port" "$@" "$image")
  t0=$(now_ms)
  docker start "$id" >/dev/null
  started='' ready=''
  while [ -z "$ready" ]; do
    [ "$(docker inspect -f '{{.State.Running}}' "$id")" = true ] || { docker logs --tail 40 "$id" >&2; docker rm -f "$id" >/dev/null; exit 1; }
    if [ -z "$started" ] && [ "$(status "http://127.0.0.1:$port/q/health/started")" = 200 ]; then started=$(( $(now_ms) - t0 )); fi
    if [ -n "$started" ] && [ "$(status "http://127.0.0.1:$port/q/health/ready")" = 200 ]; then ready=$(( $(now_ms) - t0 )); fi
    [ $(( $(now_ms) - t0 )) -lt 600000 ] || { docker logs --tail 40 "$id" >&2; docker rm -f "$id" >/dev/null; exit 1; }
    sleep 0.2
  done
  docker rm -f "$id" >/dev/null
  printf 'run %d: started %d.%03d s, ready %d.%03d s\n' "$i" $(( started / 1000 )) $(( started % 1000 )) $(( ready / 1000 )) $(( ready % 1000 ))
  total_started=$(( total_started + started )) total_ready=$(( total_ready + ready ))
done
awk -v s="$total_started" -v r="$total_ready" -v n="$runs" 'BEGIN { printf "mean: started %.1f s, ready %.1f s\n", s / n / 1000, r / n / 1000 }'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
