# shellcheck shell=bash disable=SC2034
# Shared helpers for the deploy/local scripts. Sourced (never executed) after the caller has set HERE and ROOT:
#   HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd); . "$HERE/common.sh"

: "${HERE:?HERE must be set before sourcing common.sh}"
: "${ROOT:?ROOT must be set before sourcing common.sh}"

PROG=$(basename "$0" .sh)
STATE="${BULWARK_LOCAL_STATE:-$HERE/.state}"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
STARTED="$STATE/started"
JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# The S3-compatible server (S3Proxy) infra.sh starts for the dispatcher's attachments, and the dispatcher's settings
# for it (endpoint, credentials, bucket; mode 600), which run.sh hands to dispatcher-service only.
S3_PORT="${BULWARK_S3_PORT:-9000}"
S3_BUCKET=bulwark-attachments
S3_STATE="$STATE/s3proxy"
S3_CLIENT_ENV="$S3_STATE/dispatcher.env"

msg()  { printf '%s: %s\n' "$PROG" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "$PROG" "$*" >&2; }
die()  { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

ensure_state_dirs() {
  mkdir -p "$LOGS" "$PIDS" "$STARTED"
}

# Run a privileged command: directly as root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "'$*' needs root and sudo is not installed"
  fi
}

# Milliseconds since the epoch, and a human "12.3 s" since a given start.
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
since() {
  local ms=$(( $(now_ms) - $1 ))
  printf '%d.%d s' $(( ms / 1000 )) $(( (ms % 1000) / 100 ))
}

# True when something accepts TCP connections on 127.0.0.1:<port> (bash /dev/tcp, 2 s cap).
port_open() {
  # shellcheck disable=SC2016  # $0 is expanded by the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" >/dev/null 2>&1
}

port_closed() { ! port_open "$1"; }

# PID from a PID file, if the file exists and holds a number.
read_pid() {
  local f=$1 pid
  [ -f "$f" ] || return 1
  pid=$(tr -d '[:space:]' <"$f")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  echo "$pid"
}

# True when <pid> is alive and its command line contains <pattern> (guards against PID reuse).
pid_matches() {
  local pid=$1 pattern=$2 cmdline
  kill -0 "$pid" 2>/dev/null || return 1
  cmdline=$( { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || return 1
  [[ "$cmdline" == *"$pattern"* ]]
}

# PID from <pidfile> if that process is alive and matches <pattern>; removes a stale PID file.
live_pid() {
  local f=$1 pattern=$2 pid
  pid=$(read_pid "$f") || { rm -f "$f"; return 1; }
  if pid_matches "$pid" "$pattern"; then
    echo "$pid"
  else
    rm -f "$f"
    return 1
  fi
}

# wait_for <timeout-seconds> <command...>: polls every 0.5 s until the command succeeds; 1 on timeout.
wait_for() {
  local timeout=$1; shift
  local deadline=$(( $(now_ms) + timeout * 1000 ))
  until "$@"; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# True while <pid> runs: alive and not a zombie left for this script to reap.
pid_running() { kill -0 "$1" 2>/dev/null && [[ "$(ps -o stat= -p "$1" 2>/dev/null)" != Z* ]]; }

# wait_exec <pid> <pattern> [timeout-seconds]: right after `nohup cmd &`, $! is still a fork of this script (its
# command line is the script's own) until nohup has exec'd cmd. Waits (default 10 s) until <pid>'s command line
# contains <pattern>; 1 if the process ended first (or never exec'd), so a later pid_matches means what it says.
wait_exec() {
  local pid=$1 pattern=$2 deadline=$(( $(now_ms) + ${3:-10} * 1000 ))
  until pid_matches "$pid" "$pattern"; do
    pid_running "$pid" || return 1
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# Stop a process: TERM, wait up to <timeout> seconds, then KILL. Returns once it is gone.
stop_pid() {
  local pid=$1 timeout=$2 name=$3
  kill -TERM "$pid" 2>/dev/null || return 0
  if ! wait_for "$timeout" pid_gone "$pid"; then
    warn "$name (pid $pid) did not stop within ${timeout} s; sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_for 5 pid_gone "$pid" || warn "$name (pid $pid) still alive after KILL"
  fi
}

# Last lines of a log, indented, to explain a failure.
show_log_tail() {
  local f=$1 n=${2:-40}
  if [ -s "$f" ]; then
    printf -- '----- last %d lines of %s -----\n' "$n" "$f" >&2
    tail -n "$n" "$f" >&2
    # A Java start failure's reason is at the top of its stack trace, which a tail cuts: repeat the error lines last.
    printf -- '----- error lines of %s -----\n' "$f" >&2
    grep -E '(ERROR|FATAL|Caused by:|Exception: )' "$f" | cut -c1-400 | head -n 12 >&2 || true
    printf -- '-----\n' >&2
  else
    printf '(log %s is empty or missing)\n' "$f" >&2
  fi
}

# apt_install <package...>: Debian packages a script needs, installed once (apt-get update first).
APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install $* yourself (this script supports Debian/Ubuntu)"
  if [ "$APT_UPDATED" -eq 0 ]; then
    msg "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  local t0; t0=$(now_ms)
  msg "apt-get install -y $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$LOGS/apt-install.log" 2>&1 \
    || { show_log_tail "$LOGS/apt-install.log"; die "apt-get install $* failed"; }
  msg "installed $* in $(since "$t0")"
}
