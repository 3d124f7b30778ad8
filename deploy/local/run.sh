#!/usr/bin/env bash
# Runs the Bulwark suite locally: infrastructure (infra.sh up), build, the six services as background JVMs.
#   run.sh [--no-build]
# workflow-service (the JWT issuer) starts first; the other five start once it is ready. Stop with stop.sh.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$HERE/common.sh"

# module:port, issuer first.
ISSUER="workflow-service:8081"
OTHERS=(worker-agent:8082 backbone-service:8083 relay-service:8084 dispatcher-service:8085 orchestrator-service:8086)
READY_TIMEOUT="${BULWARK_READY_TIMEOUT:-180}"
KEYS="$STATE/keys"

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h|--help)
      cat <<EOF
usage: $0 [--no-build]
  Starts the infrastructure (infra.sh up), builds the services (mvnw -B -q -DskipTests package; --no-build skips
  it), then starts workflow-service, waits for it, and starts the other five services.
Environment: BULWARK_READY_TIMEOUT (default 180 s per wave), BULWARK_JAVA_OPTS (extra JVM options, after the
defaults: serial GC, -Xms32m, -Xmx256m or 384m, a start archive from Java 19), JAVA_HOME (a Java 25 such as
/usr/lib/jvm/temurin-25-jdk-amd64 starts fastest, with its AOT cache),
BULWARK_DOCKER=1 (infra.sh also starts a Docker engine, for worker-agent's container apps).
EOF
      exit 0 ;;
    *) die "unknown argument '$arg' (try --help)" ;;
  esac
done

ensure_state_dirs

"$HERE/infra.sh" up

if [ "$build" -eq 1 ]; then
  t0=$(now_ms)
  msg "building: mvnw -B -q -DskipTests package"
  (cd "$ROOT" && "$ROOT/mvnw" -B -q -DskipTests package) || die "build failed"
  msg "build finished in $(since "$t0")"
fi

# The local databases belong to the state directory whose keys and passwords sealed them: its id is the comment on
# bulwark_workflow. A new state directory (a fresh clone, a deleted .state) meeting databases of an earlier one could
# not sign in (the admin password), open credentials (the master key) or keep the service accounts, so those
# databases are renamed aside (nothing is dropped) and empty ones created. Restore: stop.sh, put the old .state back,
# rename the databases back.
bind_databases() {
  local id_file="$STATE/databases.id" fresh=0 id comment tables stamp db
  [ -f "$STATE/bootstrap-admin.env" ] || fresh=1
  [ -s "$id_file" ] || (umask 077 && openssl rand -hex 8 >"$id_file")
  id="bulwark local state $(cat "$id_file")"
  bw_psql() { PGPASSWORD=bulwark PGCONNECT_TIMEOUT=5 psql -X -w -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 5432 -U bulwark "$@"; }
  if ! comment=$(bw_psql -d postgres -tAc "select coalesce(shobj_description(oid, 'pg_database'), '') \
      from pg_database where datname = 'bulwark_workflow'" 2>/dev/null); then
    warn "cannot read the local databases as role bulwark; not binding them to ${STATE#"$ROOT"/}"
    return 0
  fi
  [ "$comment" = "$id" ] && return 0
  tables=$(bw_psql -d bulwark_workflow -tAc "select count(*) from pg_tables where schemaname = 'public'")
  if [ -z "$comment" ] && { [ "$fresh" -eq 0 ] || [ "$tables" -eq 0 ]; }; then
    bw_psql -d postgres -c "comment on database bulwark_workflow is '$id'"
    return 0
  fi
  stamp=$(date -u +%Y%m%d%H%M%S)
  warn "the local databases hold the data of another state directory (${comment:-one from before state ids}), whose \
admin password and keys ${STATE#"$ROOT"/} does not have: renaming them to <name>_$stamp and starting on empty ones"
  for db in bulwark_workflow bulwark_backbone bulwark_relay bulwark_orchestrator; do
    bw_psql -d postgres -f - >/dev/null <<SQL || die "could not rename $db aside (is a service of another checkout still connected?)"
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db' AND pid <> pg_backend_pid();
ALTER DATABASE $db RENAME TO ${db}_$stamp;
CREATE DATABASE $db;
SQL
    msg "moved $db aside to ${db}_$stamp"
  done
  bw_psql -d postgres -c "comment on database bulwark_workflow is '$id'"
}
bind_databases

# Issuer key pair (PKCS#8 private key, X.509 SubjectPublicKeyInfo public key), generated once.
if [ ! -f "$KEYS/private.pem" ]; then
  mkdir -p "$KEYS"
  chmod 700 "$KEYS"
  msg "generating the issuer's RSA 2048 key pair in $KEYS"
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$KEYS/private.pem.tmp" 2>/dev/null) \
    || die "openssl genpkey failed"
  mv "$KEYS/private.pem.tmp" "$KEYS/private.pem"
  rm -f "$KEYS/public.pem"
fi
chmod 600 "$KEYS/private.pem"
if [ ! -f "$KEYS/public.pem" ]; then
  openssl pkey -in "$KEYS/private.pem" -pubout -out "$KEYS/public.pem" 2>/dev/null || die "openssl pkey -pubout failed"
fi
export BULWARK_ISSUER_PRIVATE_KEY="$KEYS/private.pem"
export BULWARK_ISSUER_PUBLIC_KEY="$KEYS/public.pem"

# The first admin, created by workflow-service on its first start with an empty database. The password is
# generated once and kept (readable by root only) so it survives restarts; it is shown at the end of this script.
ADMIN_FILE="$STATE/bootstrap-admin.env"
if [ ! -f "$ADMIN_FILE" ]; then
  (umask 077 && printf 'BULWARK_BOOTSTRAP_ADMIN_EMAIL=admin@bulwark.local\nBULWARK_BOOTSTRAP_ADMIN_PASSWORD=%s\n' \
    "Bw-$(openssl rand -base64 24 | tr -d '/+=')" >"$ADMIN_FILE")
fi
set -a
# shellcheck source=/dev/null
. "$ADMIN_FILE"
set +a

# Services that call the suite do it as service accounts: worker-agent (role worker) claims tasks, the
# dispatcher (role dispatcher) starts workflows. As in the Helm chart, the accounts are declared: one directory per
# account under .state/service-accounts (client-id, client-secret, roles; generated once, readable by root only),
# which workflow-service provisions at start from BULWARK_SERVICE_ACCOUNTS_DIR. The caller gets the same client id
# and secret in .state/<module>.env. A workflow-service without that provisioning refuses those credentials: then
# the account is created once through the admin API instead (service_account below).
ACCOUNTS_DIR="$STATE/service-accounts"
declare_account() {
  local name=$1 roles=$2 dir="$ACCOUNTS_DIR/$1"
  if [ ! -s "$dir/client-secret" ]; then
    (umask 077 && mkdir -p "$dir" \
      && printf 'sa-%s' "$(openssl rand -hex 16)" >"$dir/client-id" \
      && openssl rand -hex 24 | tr -d '\n' >"$dir/client-secret")
  fi
  # Roles are rewritten on every run, so a new version's roles reach an existing account (workflow-service updates
  # them at start and revokes the account's older tokens).
  (umask 077 && printf '%s' "$roles" >"$dir/roles")
}
declare_account worker-agent worker
# The dispatcher starts workflows (dispatcher), looks up observables at the relay (relay-client) and sends messages
# through the backbone (backbone-client).
declare_account dispatcher dispatcher,relay-client,backbone-client
chmod 700 "$ACCOUNTS_DIR"
export BULWARK_SERVICE_ACCOUNTS_DIR="$ACCOUNTS_DIR"
# The dispatcher's account is also a declared backbone client (send_message): it may publish on any topic of its own
# organisation. Only its client id goes to the backbone, never its secret.
BULWARK_BACKBONE_DECLARED_CLIENTS__DISPATCHER__SUBJECT=$(cat "$ACCOUNTS_DIR/dispatcher/client-id")
export BULWARK_BACKBONE_DECLARED_CLIENTS__DISPATCHER__SUBJECT
export BULWARK_BACKBONE_DECLARED_CLIENTS__DISPATCHER__PUBLISH="${BULWARK_DISPATCHER_PUBLISH:-#}"

json_field() { sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p"; }

# account_valid <env file> <id var> <secret var>: the kept credentials still get a token (false after the
# workflow database was reset, for example).
account_valid() {
  local work code
  work=$(umask 077 && mktemp -d)
  (
    # shellcheck source=/dev/null
    . "$1"
    printf '{"grant_type":"client_credentials","client_id":"%s","client_secret":"%s"}' "${!2}" "${!3}"
  ) >"$work/grant.json"
  code=$(curl -s -o /dev/null -m 10 -w '%{http_code}' -H 'Content-Type: application/json' --data @"$work/grant.json" \
    http://127.0.0.1:8081/api/v1/auth/token) || code=000
  rm -rf "$work"
  [ "$code" = 200 ]
}

# declared_account <module> <account> <id var> <secret var>: the declared account's credentials, if
# workflow-service provisioned it, become the module's env file.
declared_account() {
  local module=$1 dir="$ACCOUNTS_DIR/$2" id_var=$3 secret_var=$4 file="$STATE/$1.env" candidate
  candidate=$(umask 077 && mktemp "$STATE/.account.XXXXXX")
  printf '%s=%s\n%s=%s\n' "$id_var" "$(cat "$dir/client-id")" "$secret_var" "$(cat "$dir/client-secret")" >"$candidate"
  if account_valid "$candidate" "$id_var" "$secret_var"; then
    mv "$candidate" "$file"
    msg "$module: service account $(cat "$dir/client-id") provisioned by workflow-service from ${dir#"$ROOT"/}"
    return 0
  fi
  rm -f "$candidate"
  warn "$module: workflow-service did not provision ${dir#"$ROOT"/} (no BULWARK_SERVICE_ACCOUNTS_DIR support yet?);\
 falling back to the admin API"
  return 1
}

# service_account <module> <role> <id var> <secret var>
service_account() {
  local module=$1 role=$2 id_var=$3 secret_var=$4 file="$STATE/$1.env"
  if [ -s "$file" ]; then
    account_valid "$file" "$id_var" "$secret_var" && return 0
    warn "$module: the service account in ${file#"$ROOT"/} is refused by workflow-service; creating a new one"
    rm -f "$file"
  fi
  local work token account id secret
  work=$(umask 077 && mktemp -d)
  # Secrets go through files and stdin, never on a command line.
  printf '{"grant_type":"password","username":"%s","password":"%s"}' \
    "$BULWARK_BOOTSTRAP_ADMIN_EMAIL" "$BULWARK_BOOTSTRAP_ADMIN_PASSWORD" >"$work/login.json"
  token=$(curl -sf -m 10 -H 'Content-Type: application/json' --data @"$work/login.json" \
    http://127.0.0.1:8081/api/v1/auth/token | json_field access_token) || token=""
  if [ -z "$token" ]; then
    rm -rf "$work"
    warn "cannot log in as $BULWARK_BOOTSTRAP_ADMIN_EMAIL: $module starts without a service account \
(create one with role $role and put $id_var/$secret_var in ${file#"$ROOT"/})"
    return 0
  fi
  printf 'Authorization: Bearer %s\n' "$token" >"$work/auth.header"
  account=$(printf '{"name":"%s %s %s","roles":["%s"]}' "$module" "$(hostname)" "$(date -u +%Y%m%dT%H%M%SZ)" "$role" \
    | curl -sf -m 10 -H @"$work/auth.header" -H 'Content-Type: application/json' --data @- \
      http://127.0.0.1:8081/api/v1/service-accounts) || account=""
  rm -rf "$work"
  id=$(json_field clientId <<<"$account")
  secret=$(json_field clientSecret <<<"$account")
  if [ -z "$id" ] || [ -z "$secret" ]; then
    warn "creating $module's service account failed: it starts without one"
    return 0
  fi
  (umask 077 && printf '%s=%s\n%s=%s\n' "$id_var" "$id" "$secret_var" "$secret" >"$file")
  msg "$module: service account $id (role $role) created; credentials in ${file#"$ROOT"/}"
}

# workflow-service seals app credentials with a master key: one is generated once for local runs.
MASTER_KEY_FILE="$STATE/workflow-service.env"
if [ ! -f "$MASTER_KEY_FILE" ]; then
  (umask 077 && printf 'BULWARK_WORKFLOW_CREDENTIALS_MASTER_KEYS_LOCAL=%s\nBULWARK_WORKFLOW_CREDENTIALS_ACTIVE_KEY_ID=local\n' \
    "$(openssl rand -base64 32)" >"$MASTER_KEY_FILE")
fi
# backbone-service encrypts webhook signing secrets with a key of its own, also generated once.
BACKBONE_KEY_FILE="$STATE/backbone-service.env"
if [ ! -f "$BACKBONE_KEY_FILE" ]; then
  (umask 077 && printf 'BULWARK_BACKBONE_WEBHOOK_KEY=%s\n' "$(openssl rand -base64 32)" >"$BACKBONE_KEY_FILE")
fi
# Outbound calls made for users pass the suite's egress policy, which refuses loopback and private addresses. The
# local run allow-lists exactly what a local workflow or test run needs: the suite's user-facing APIs (not the
# worker's own port, nor the infrastructure's) and port 4000 on this machine for a local target under test.
export BULWARK_EGRESS_ALLOW_HOSTS="${BULWARK_EGRESS_ALLOW_HOSTS:-localhost:8081,localhost:8083,localhost:8084,localhost:8086,localhost:4000,127.0.0.1:4000,localhost:4001,127.0.0.1:4001}"
# Every service listens on loopback only unless BULWARK_BIND says otherwise (e.g. 0.0.0.0).
BIND="${BULWARK_BIND:-127.0.0.1}"
# The orchestrator seals the job of a running run (credentials of the system under test) so that another instance
# can take the run over; the key is generated once.
ORCHESTRATOR_KEY_FILE="$STATE/orchestrator-service.env"
if [ ! -f "$ORCHESTRATOR_KEY_FILE" ]; then
  (umask 077 && printf 'BULWARK_ORCHESTRATOR_JOB_KEY=%s\n' "$(openssl rand -base64 32)" >"$ORCHESTRATOR_KEY_FILE")
fi

[ -s "$S3_CLIENT_ENV" ] || warn "no ${S3_CLIENT_ENV#"$ROOT"/} from infra.sh: the dispatcher starts without S3 \
(upload_attachment messages naming file_s3_bucket are dead-lettered)"

command -v "$JAVA_BIN" >/dev/null 2>&1 || die "java not found (set JAVA_HOME or install a JDK 17+)"
command -v curl >/dev/null 2>&1 || die "curl not found"

# JVM options of each service before BULWARK_JAVA_OPTS (which wins): the serial collector and a small initial heap
# (this machine's defaults, G1 with 1/64 of RAM as initial heap, held ~260 MB per JVM), a heap cap, and a start
# archive per jar, written as the JVM exits after a start without one (stop.sh) and used by later starts: Java 25's
# AOT cache (what startup.sh measured fastest), Java 19-24's AppCDS archive (docs/operations.md, "JVM settings").
JAVA_FEATURE=$("$JAVA_BIN" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1)
jvm_opts() {
  local max=256m app="$1/target/quarkus-app"
  [ "$1" != workflow-service ] || max=384m
  printf '%s' "-XX:+UseSerialGC -Xms32m -Xmx$max"
  if [ "${JAVA_FEATURE:-0}" -ge 25 ]; then
    if [ "$app/app-$JAVA_FEATURE.aot" -nt "$app/quarkus-run.jar" ]; then
      printf ' %s' "-XX:AOTCache=$app/app-$JAVA_FEATURE.aot"
    else
      printf ' %s' "-XX:AOTCacheOutput=$app/app-$JAVA_FEATURE.aot -Xlog:cds=error,aot=error"
    fi
  elif [ "${JAVA_FEATURE:-0}" -ge 19 ]; then
    printf ' %s' "-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$app/app-cds-$JAVA_FEATURE.jsa"
  fi
}

jar_of()  { echo "$ROOT/$1/target/quarkus-app/quarkus-run.jar"; }
pidf_of() { echo "$PIDS/$1.pid"; }
log_of()  { echo "$LOGS/$1.log"; }
# The PID file's process counts as ours only if its command line names this module's jar.
svc_pid() { live_pid "$(pidf_of "$1")" "$1/target/quarkus-app/quarkus-run.jar"; }
# A process we just started has died (gone, or a zombie of this script). Not fooled by the fork-to-exec instant.
svc_dead() {
  local pid
  pid=$(read_pid "$(pidf_of "$1")") || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  [[ "$(ps -o stat= -p "$pid" 2>/dev/null)" == Z* ]]
}

start_service() {
  local module=${1%%:*} port=${1##*:} jar pid
  jar=$(jar_of "$module")
  if pid=$(svc_pid "$module"); then
    msg "$module already running (pid $pid)"
    return 0
  fi
  [ -f "$jar" ] || die "$jar not found: build first (run.sh without --no-build)"
  port_open "$port" && die "port $port is taken by a process run.sh did not start; stop it first (ss -ltnp 'sport = :$port')"
  # shellcheck disable=SC2086  # BULWARK_JAVA_OPTS is a list of options
  (cd "$ROOT"
   # .state/<module>.local.env is the user's own (never written by the scripts), e.g. the dispatcher's API_URL and
   # USER_TOKEN of a CISO Assistant. The dispatcher's S3 settings, written by infra.sh (endpoint, generated keys,
   # bucket), are for it alone; the S3 server is the operator's configuration, not a destination a user picks, so it
   # is no egress allow-list entry.
   envs=("$STATE/$module.env" "$STATE/$module.local.env")
   if [ "$module" = dispatcher-service ]; then envs+=("$S3_CLIENT_ENV"); fi
   for env in "${envs[@]}"; do
     [ -s "$env" ] || continue
     set -a
     # shellcheck source=/dev/null
     . "$env"
     set +a
   done
   exec nohup "$JAVA_BIN" $(jvm_opts "$module") ${BULWARK_JAVA_OPTS:-} -Dquarkus.http.port="$port" -Dquarkus.http.host="$BIND" \
     -jar "$module/target/quarkus-app/quarkus-run.jar" >"$(log_of "$module")" 2>&1 </dev/null) &
  pid=$!
  echo "$pid" >"$(pidf_of "$module")"
  msg "$module starting (pid $pid, port $port)"
}

ready() {
  local code
  code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$1/q/health/ready" 2>/dev/null) || true
  [ "$code" = 200 ]
}

# wait_ready <module:port>...: polls every second until all are ready; fails at the deadline or if one dies.
wait_ready() {
  local deadline=$(( $(now_ms) + READY_TIMEOUT * 1000 )) t0 pending=("$@") still entry module port
  t0=$(now_ms)
  while [ "${#pending[@]}" -gt 0 ]; do
    still=()
    for entry in "${pending[@]}"; do
      module=${entry%%:*}; port=${entry##*:}
      if ready "$port"; then
        msg "$module ready after $(since "$t0")"
      elif svc_dead "$module"; then
        show_log_tail "$(log_of "$module")" 60
        die "$module exited before becoming ready (log: $(log_of "$module"))"
      else
        still+=("$entry")
      fi
    done
    pending=("${still[@]+"${still[@]}"}")
    [ "${#pending[@]}" -eq 0 ] && break
    if [ "$(now_ms)" -ge "$deadline" ]; then
      for entry in "${pending[@]}"; do
        module=${entry%%:*}; port=${entry##*:}
        show_log_tail "$(log_of "$module")" 60
        warn "$module: http://127.0.0.1:$port/q/health/ready not 200 after ${READY_TIMEOUT} s"
      done
      die "not ready within ${READY_TIMEOUT} s: ${pending[*]%%:*} (still running; stop with $HERE/stop.sh)"
    fi
    sleep 1
  done
}

start_service "$ISSUER"
wait_ready "$ISSUER"
declared_account worker-agent worker-agent BULWARK_WORKER_CLIENT_ID BULWARK_WORKER_CLIENT_SECRET \
  || service_account worker-agent worker BULWARK_WORKER_CLIENT_ID BULWARK_WORKER_CLIENT_SECRET
declared_account dispatcher-service dispatcher BULWARK_DISPATCHER_SUITE_CLIENT_ID BULWARK_DISPATCHER_SUITE_CLIENT_SECRET \
  || service_account dispatcher-service dispatcher BULWARK_DISPATCHER_SUITE_CLIENT_ID BULWARK_DISPATCHER_SUITE_CLIENT_SECRET
for svc in "${OTHERS[@]}"; do start_service "$svc"; done
wait_ready "${OTHERS[@]}"

printf '\n%-22s %-24s %s\n' SERVICE URL LOG
for svc in "$ISSUER" "${OTHERS[@]}"; do
  module=${svc%%:*}; port=${svc##*:}
  printf '%-22s %-24s %s\n' "$module" "http://127.0.0.1:$port" "${LOGS#"$ROOT"/}/$module.log"
done
printf '\nInitial admin (used only if the workflow database was empty): %s in %s\n' \
  "$BULWARK_BOOTSTRAP_ADMIN_EMAIL" "${ADMIN_FILE#"$ROOT"/}"
printf '\nStop with %s (add --infra to stop the infrastructure too).\n' "${HERE#"$ROOT"/}/stop.sh"
