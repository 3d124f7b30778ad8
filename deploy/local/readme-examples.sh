#!/usr/bin/env bash
# Runs the shell examples of the READMEs against a suite deploy/local/run.sh started, and reports each one.
#
#   deploy/local/readme-examples.sh [--list] [README.md …]
#
# Which blocks run is written in the README source (see the root README, "Documentation"):
#   - a fenced block whose info string is `bash` or `sh` is an example: it runs, in file order;
#   - `<!-- not run: <reason> -->` on the last non-blank line before its fence skips it, with that reason;
#   - every other block (```console, ```text, ```json, no info string, …) is not a shell example.
# Each example runs alone, in a fresh `bash -euo pipefail` with the repository root as working directory and stdin
# from /dev/null: it shares no shell variables with the examples before it (it signs in itself), only what it left
# on the suite. curl fails on an HTTP status of 400 or more (--fail-with-body through a .curlrc in CURL_HOME), so an
# example that got a problem document fails. `deploy/local/.state` in an example means the state directory
# (BULWARK_LOCAL_STATE when set). An example fails when it exits non-zero, outlives BULWARK_README_TIMEOUT seconds
# (default 120; its whole process group is killed) or leaves new untracked files in the repository.
# Prints one line per block (PASS, FAIL with the end of its output, SKIP with the reason) and a summary; the exit
# code is 1 when an example failed, 2 when the suite does not answer.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$HERE/common.sh"

# deploy/helm and deploy/images are left out: their examples need a Kubernetes cluster or a registry.
DEFAULT_READMES=(README.md workflow-service/README.md worker-agent/README.md backbone-service/README.md
  relay-service/README.md dispatcher-service/README.md orchestrator-service/README.md deploy/local/README.md)
TIMEOUT="${BULWARK_README_TIMEOUT:-120}"
TAIL_LINES=30

list_only=false
readmes=()
for arg in "$@"; do
  case "$arg" in
    --list) list_only=true ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $arg (see --help)" ;;
    *) readmes+=("$arg") ;;
  esac
done
[ ${#readmes[@]} -gt 0 ] || readmes=("${DEFAULT_READMES[@]}")

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Splits one README into $WORK/blocks/<n>.sh (the example) and writes one line per fenced block to stdout:
#   run <n> <line>            an example, its fence on <line>
#   skip <line> <reason>      an example marked "not run"
# Blocks that are not shell examples are not listed.
extract() {
  local file=$1 n=0 lineno=0 in_block=false run=false last='' line tag reason
  mkdir -p "$WORK/blocks"
  while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    if $in_block; then
      if [[ "$line" =~ ^\`\`\`[[:space:]]*$ ]]; then
        in_block=false
        last=$line
      elif $run; then
        printf '%s\n' "$line" >>"$WORK/blocks/$n.sh"
      fi
      continue
    fi
    if [[ "$line" =~ ^\`\`\`([A-Za-z0-9_+-]*) ]]; then
      in_block=true
      run=false
      tag=${BASH_REMATCH[1]}
      if [ "$tag" = bash ] || [ "$tag" = sh ]; then
        if [[ "$last" =~ ^\<!--[[:space:]]*not\ run:[[:space:]]*(.*[^[:space:]])[[:space:]]*--\>[[:space:]]*$ ]]; then
          reason=${BASH_REMATCH[1]}
          printf 'skip %d %s\n' "$lineno" "$reason"
        else
          n=$((n + 1))
          run=true
          : >"$WORK/blocks/$n.sh"
          printf 'run %d %d\n' "$n" "$lineno"
        fi
      fi
      continue
    fi
    [[ "$line" =~ ^[[:space:]]*$ ]] || last=$line
  done <"$file"
  $in_block && die "$file: a fenced block opened on line $lineno is not closed"
  return 0
}

untracked() {
  if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$ROOT" status --porcelain --untracked-files=all | sed -n 's/^?? //p' | sort
  fi
}

if ! $list_only; then
  command -v curl >/dev/null || die "curl is needed"
  curl -s -o /dev/null --max-time 5 -f http://127.0.0.1:8081/q/health/ready || {
    printf 'readme-examples: workflow-service does not answer on 127.0.0.1:8081: start the suite with deploy/local/run.sh first\n'
    exit 2
  }
  mkdir -p "$WORK/curl"
  printf 'fail-with-body\nshow-error\n' >"$WORK/curl/.curlrc"
fi

# Examples name the default state directory; with BULWARK_LOCAL_STATE they mean that one.
default_state="$ROOT/deploy/local/.state"
state_abs=$(cd "$ROOT" && { cd "$STATE" 2>/dev/null && pwd || echo "$STATE"; })

passed=0 failed=0 skipped=0 started_ms=$(now_ms)
failures=()
for readme in "${readmes[@]}"; do
  case "$readme" in /*) file=$readme ;; *) file="$ROOT/$readme" ;; esac
  [ -f "$file" ] || die "no such README: $readme"
  rel=${file#"$ROOT"/}
  rm -rf "$WORK/blocks"
  extract "$file" >"$WORK/index"
  while read -r kind a b; do
    if [ "$kind" = skip ]; then
      skipped=$((skipped + 1))
      printf 'SKIP %s:%s (not run: %s)\n' "$rel" "$a" "$b"
      continue
    fi
    where="$rel:$b"
    if $list_only; then
      printf 'RUN  %s\n' "$where"
      continue
    fi
    block="$WORK/blocks/$a.sh"
    if [ "$state_abs" != "$default_state" ]; then
      sed -i "s#deploy/local/\\.state#${state_abs//#/\\#}#g" "$block"
    fi
    before=$(untracked)
    t0=$(now_ms)
    set +e
    (cd "$ROOT" && CURL_HOME="$WORK/curl" timeout -k 10 "$TIMEOUT" bash -euo pipefail "$block" </dev/null >"$WORK/out" 2>&1)
    rc=$?
    set -e
    took=$(since "$t0")
    left=$(comm -13 <(printf '%s\n' "$before") <(untracked) | sed '/^$/d')
    if [ "$rc" -eq 0 ] && [ -z "$left" ]; then
      passed=$((passed + 1))
      printf 'PASS %s (%s)\n' "$where" "$took"
      continue
    fi
    failed=$((failed + 1))
    failures+=("$where")
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
      printf 'FAIL %s (still running after %s s: stopped)\n' "$where" "$TIMEOUT"
    elif [ "$rc" -ne 0 ]; then
      printf 'FAIL %s (exit %d after %s)\n' "$where" "$rc" "$took"
    else
      printf 'FAIL %s (left files in the repository: %s)\n' "$where" "$(echo $left)"
    fi
    printf '     last lines of its output:\n'
    tail -n "$TAIL_LINES" "$WORK/out" | sed 's/^/     | /'
  done <"$WORK/index"
done

if $list_only; then
  exit 0
fi
printf 'readme-examples: %d passed, %d failed, %d not run, in %s\n' "$passed" "$failed" "$skipped" "$(since "$started_ms")"
if [ "$failed" -gt 0 ]; then
  printf 'readme-examples: failed: %s\n' "${failures[*]}"
  exit 1
fi
