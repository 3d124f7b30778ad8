#!/usr/bin/env bash
# One benchmark command: runs the modules' benchmarks (each beside its raw infrastructure baseline, in the same JVM)
# and the start/memory measure, one at a time, and writes a report with tables and charts.
#   bench.sh [--quick] [--runs N] [suite...]
# Suites (default: all, in this order):
#   common        suite-common RevocationCheckBench: revocation check per request vs an RS256 signature check
#   engine        workflow-service EngineBenchmark: 5-action workflow in the engine and through the queue vs SKIP LOCKED
#   agent         worker-agent AgentBench: tasks through worker-agent vs raw `docker run` (needs the Docker engine)
#   backbone      backbone-service BackboneBench: REST send → receive vs AMQP publish/confirm → consume/ack
#   relay         relay-service ObserveBenchmark: observe 100 observables at 1 M indicators vs the raw SQL
#   dispatcher    dispatcher-service DispatchThroughputBench + LaneScalingBench: Kafka → PATCH vs a plain loop
#   orchestrator  orchestrator-service FeedbackFanOutBench: SSE feedback fan-out vs raw Redis pub/sub
#   start         deploy/local/startup.sh: start-to-ready and RSS of the six packaged services, per JVM variant
# --quick passes smaller sizes to the benchmarks that take them (messages, events, clients) and 1 run per start
# variant; --runs N sets the start measure's runs (default 3). Writes bench/results/<UTC stamp>/: report.md,
# throughput.png, latency.png, start.png, bench-lines.txt (the BENCH lines), logs/<suite>.log; bench/results/latest
# points at it and bench/results/README.md lists the runs (newest first, with their load average). Exit code 1
# if a suite failed (the report is still written and names it).
# Environment: BULWARK_MVN_ARGS (extra Maven options, e.g. -o once the local repository holds everything), BULWARK_BENCH_RESULTS,
# BULWARK_START_VARIANTS (startup.sh --variants).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$HERE/common.sh"

SUITES_ALL=(common engine agent backbone relay dispatcher orchestrator start)
quick=0 runs=3 suites=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 runs=1; shift ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (try --help)" ;;
    *) printf '%s\n' "${SUITES_ALL[@]}" | grep -qx -- "$1" || die "unknown suite $1 (one of: ${SUITES_ALL[*]})"
       suites+=("$1"); shift ;;
  esac
done
[ "${#suites[@]}" -gt 0 ] || suites=("${SUITES_ALL[@]}")

# suite → module and benchmark classes.
module_of() {
  case "$1" in
    common) echo suite-common ;; engine) echo workflow-service ;; agent) echo worker-agent ;;
    backbone) echo backbone-service ;; relay) echo relay-service ;; dispatcher) echo dispatcher-service ;;
    orchestrator) echo orchestrator-service ;;
  esac
}
classes_of() {
  case "$1" in
    common) echo RevocationCheckBench ;; engine) echo EngineBenchmark ;; agent) echo AgentBench ;;
    backbone) echo BackboneBench ;; relay) echo ObserveBenchmark ;;
    dispatcher) echo DispatchThroughputBench,LaneScalingBench ;; orchestrator) echo FeedbackFanOutBench ;;
  esac
}

MVN_ARGS=${BULWARK_MVN_ARGS-}
SIZES=()
[ "$quick" -eq 0 ] || SIZES=(-Dbench.messages=200 -Dbench.dispatch.messages=12000 -Dbench.events=200 -Dbench.clients=20)

RESULTS_ROOT="${BULWARK_BENCH_RESULTS:-$ROOT/bench/results}"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$RESULTS_ROOT/$STAMP"
mkdir -p "$OUT/logs"
LINES="$OUT/bench-lines.txt"
: >"$LINES"
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

need_docker=0
for s in "${suites[@]}"; do [ "$s" != agent ] || need_docker=1; done
if [ "$need_docker" -eq 1 ]; then
  "$HERE/infra.sh" up postgresql redis rabbitmq kafka --docker
else
  "$HERE/infra.sh" up postgresql redis rabbitmq kafka
fi

t_all=$(now_ms)
load_before=$(loadavg)
msg "load average before: $load_before; results in ${OUT#"$ROOT"/}"
failed=()
for suite in "${suites[@]}"; do
  t0=$(now_ms) before=$(loadavg) log="$OUT/logs/$suite.log" rc=0
  if [ "$suite" = start ]; then
    msg "start: packaging the six services, then startup.sh (log ${log#"$ROOT"/})"
    # shellcheck disable=SC2086  # MVN_ARGS is a list of options
    { (cd "$ROOT" && ./mvnw -B $MVN_ARGS -q package -DskipTests -pl \
        workflow-service,worker-agent,backbone-service,relay-service,dispatcher-service,orchestrator-service -am) \
      && "$HERE/startup.sh" --runs "$runs" ${BULWARK_START_VARIANTS:+--variants "$BULWARK_START_VARIANTS"}; } \
      >"$log" 2>&1 || rc=$?
  else
    module=$(module_of "$suite") classes=$(classes_of "$suite")
    msg "$suite: $module $classes (log ${log#"$ROOT"/})"
    # -Dtest/-Dit.test name the benchmark, so the upstream modules -am builds run none of theirs.
    # shellcheck disable=SC2086
    (cd "$ROOT" && ./mvnw -B $MVN_ARGS verify -Pbench -pl "$module" -am "${SIZES[@]}" \
      -Dtest="$classes" -Dit.test="$classes" -Dsurefire.failIfNoSpecifiedTests=false \
      -Dfailsafe.failIfNoSpecifiedTests=false) >"$log" 2>&1 || rc=$?
  fi
  grep -ao 'BENCH|.*' "$log" | grep -v '^BENCH|[^|]*|load|' >>"$LINES" || true
  seconds=$(( ($(now_ms) - t0) / 1000 ))
  echo "BENCH|$suite|load|before=$before|after=$(loadavg)|seconds=$seconds|exit=$rc" >>"$LINES"
  if [ "$rc" -ne 0 ]; then
    failed+=("$suite")
    warn "$suite failed (exit $rc) after $seconds s: see ${log#"$ROOT"/}"
  else
    msg "$suite done in $seconds s"
  fi
done
load_after=$(loadavg)

{
  echo "date=$STAMP"
  echo "commit=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && \
    git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "suites=${suites[*]}$([ "$quick" -eq 0 ] || echo ' (--quick)')"
  echo "duration_s=$(( ($(now_ms) - t_all) / 1000 ))"
  echo "java=$("$JAVA_BIN" -version 2>&1 | head -n 1) (Maven's); start variants name their own"
  echo "cores=$(nproc)"
  echo "load_before=$load_before"
  echo "load_after=$load_after"
  echo "failed=${failed[*]:-none}"
} >"$OUT/meta.properties"
"$JAVA_BIN" -Djava.awt.headless=true "$HERE/bench/BenchReport.java" "$OUT" "$HERE/bench/goals.tsv" \
  || die "writing the report failed"
ln -sfn "$STAMP" "$RESULTS_ROOT/latest"
# The index the root README links: one row per run, newest first.
INDEX="$RESULTS_ROOT/README.md"
row="| [$STAMP]($STAMP/report.md) | ${suites[*]}$([ "$quick" -eq 0 ] || echo ' (--quick)') | \
$(( ($(now_ms) - t_all) / 1000 )) s | $load_before → $load_after | ${failed[*]:-none} |"
{
  echo "# Benchmark runs (deploy/local/bench.sh)"
  echo
  echo "Newest first. Load average (1, 5, 15 min) of the $(nproc)-core machine before → after the run: above the core"
  echo "count, other work shared the CPUs and the numbers of that run are pessimistic."
  echo
  echo "| run | suites | duration | load average before → after | failed |"
  echo "|---|---|---|---|---|"
  echo "$row"
  if [ -f "$INDEX" ]; then sed -n '/^| \[/p' "$INDEX"; fi
} >"$INDEX.tmp"
mv "$INDEX.tmp" "$INDEX"
msg "report: ${OUT#"$ROOT"/}/report.md (load average $load_before → $load_after)"
[ "${#failed[@]}" -eq 0 ] || die "failed: ${failed[*]}"
