#!/usr/bin/env bash
# The SOC demo: one alert through all six services of a suite started by run.sh.
#   demo.sh
# An alert goes to Kafka as a start_workflow message -> dispatcher-service starts the triage workflow
# (demo/triage-workflow.json) -> worker-agent runs it: the relay enriches the alert's observables (indicators
# imported from demo/indicators.stix.json), a malicious verdict is sent to the analysts on the backbone (a
# subscribed client reads it, a webhook receiver gets it pushed) and the orchestrator re-tests the affected web
# application (a local target on 127.0.0.1:4000); the run's outcome comes back in the execution's result.
# The alert starts a trace (traceparent header) whose id is printed. Every step is printed; the exit code is
# non-zero when one fails. Idempotent: each run replaces the demo's credentials, clients and keys of the previous
# one and removes them at the end.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$HERE/common.sh"

DEMO="$HERE/demo"
WF=http://localhost:8081 BACKBONE=http://localhost:8083 RELAY=http://localhost:8084 ORCH=http://localhost:8086
TARGET_PORT="${BULWARK_DEMO_TARGET_PORT:-4000}"
WEBHOOK_PORT="${BULWARK_DEMO_WEBHOOK_PORT:-4001}"
TIMEOUT="${BULWARK_DEMO_TIMEOUT:-240}"
TOPIC=observation
WORKFLOW_NAME="SOC demo: triage an alert"
AUTOMATION_EMAIL=soc-automation@bulwark.local
CREDENTIALS=(demo-relay-client demo-backbone-publisher demo-orchestrator-key)

case "${1:-}" in
  "") ;;
  -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument '$1' (try --help)" ;;
esac

ensure_state_dirs
RUN="$STATE/demo"
mkdir -p "$RUN"
chmod 700 "$RUN"
WORK=$(umask 077 && mktemp -d "$RUN/run.XXXXXX")
SUFFIX=$(date -u +%Y%m%d%H%M%S)-$(openssl rand -hex 3)
ALERT_ID="alert-$SUFFIX"

step=0
step() { step=$((step + 1)); printf '\n[%d] %s\n' "$step" "$*"; }
info() { printf '    %s\n' "$*"; }
fail() { printf '    FAILED: %s\n' "$*" >&2; exit 1; }

missing=()
for tool in curl jq python3 openssl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
command -v "$JAVA_BIN" >/dev/null 2>&1 || die "java not found (set JAVA_HOME or install a JDK 17+)"
# The interpreter itself, not a wrapper (a pyenv shim forks it: stopping the shim would leave it running).
PYTHON=$(python3 -c 'import sys; print(sys.executable)')

# --- cleanup: the demo's helpers and everything secret it created --------------------------------------------
TARGET_PID="" RECEIVER_PID="" ADMIN_HEADER="$WORK/admin.header"
declare -a CLEANUP=()
cleanup() {
  local rc=$? entry pid
  for pid in $TARGET_PID $RECEIVER_PID; do
    { kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; } || true
  done
  if [ -s "$ADMIN_HEADER" ]; then
    for entry in "${CLEANUP[@]+"${CLEANUP[@]}"}"; do
      curl -s -o /dev/null -m 10 -X DELETE -H @"$ADMIN_HEADER" "$entry" || true
    done
  fi
  [ -n "${AUTOMATION_HEADER:-}" ] && [ -n "${API_KEY_ID:-}" ] \
    && curl -s -o /dev/null -m 10 -X DELETE -H @"$AUTOMATION_HEADER" "$WF/api/v1/api-keys/$API_KEY_ID" || true
  rm -rf "$WORK"
  if [ "$rc" -eq 0 ]; then printf '\nDEMO PASSED\n'; else printf '\nDEMO FAILED (exit %d)\n' "$rc" >&2; fi
  exit "$rc"
}
trap cleanup EXIT

# call <method> <url> <auth header file|-> [<body file>]: prints the body, fails on a non-2xx status.
call() {
  local method=$1 url=$2 auth=$3 body=${4:-} out="$WORK/out" code args=()
  [ "$auth" != - ] && args+=(-H @"$auth")
  if [ -n "$body" ]; then
    args+=(-H "Content-Type: ${CONTENT_TYPE:-application/json}" --data-binary @"$body")
  fi
  code=$(curl -s -m 30 -o "$out" -w '%{http_code}' -X "$method" "${args[@]}" "$url") || code=000
  if [[ "$code" != 2* ]]; then
    fail "$method $url answered $code: $(head -c 600 "$out" 2>/dev/null)"
  fi
  cat "$out"
}
# bearer <header file> <token>
bearer() { (umask 077 && printf 'Authorization: Bearer %s\n' "$2" >"$1"); }
# basic_of <client id> <secret>: an HTTP Basic value, both parts form-encoded (RFC 6749 §2.3.1)
basic_of() {
  printf 'Basic %s' "$(printf '%s:%s' "$(jq -rn --arg v "$1" '$v|@uri')" "$(jq -rn --arg v "$2" '$v|@uri')" \
    | base64 -w0)"
}
client_token() { # <client id> <secret>: a client-credentials token, the secret through stdin
  local auth="$WORK/basic.header"
  (umask 077 && printf 'Authorization: %s\n' "$(basic_of "$1" "$2")" >"$auth")
  printf 'grant_type=client_credentials' >"$WORK/grant.form"
  CONTENT_TYPE=application/x-www-form-urlencoded call POST "$WF/api/v1/auth/token" "$auth" "$WORK/grant.form" \
    | jq -r .access_token
  rm -f "$auth"
}

# --- 1. the suite ---------------------------------------------------------------------------------------------
step "The suite started by run.sh is ready"
for svc in workflow-service:8081 worker-agent:8082 backbone-service:8083 relay-service:8084 dispatcher-service:8085 \
           orchestrator-service:8086; do
  code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:${svc##*:}/q/health/ready") || code=000
  [ "$code" = 200 ] || fail "${svc%%:*} is not ready on port ${svc##*:} (start the suite with deploy/local/run.sh)"
  info "${svc%%:*} ready on ${svc##*:}"
done
[ -f "$STATE/bootstrap-admin.env" ] || fail "no $STATE/bootstrap-admin.env: start the suite with run.sh first"
[ -d "$STATE/kafka/lib" ] || fail "no Kafka tools in $STATE/kafka/lib: run infra.sh up first"

step "Sign in as the first admin (bootstrap-admin.env)"
(
  # shellcheck source=/dev/null
  . "$STATE/bootstrap-admin.env"
  jq -n --arg u "$BULWARK_BOOTSTRAP_ADMIN_EMAIL" --arg p "$BULWARK_BOOTSTRAP_ADMIN_PASSWORD" \
    '{grant_type:"password",username:$u,password:$p}' >"$WORK/login.json"
)
admin_token=$(call POST "$WF/api/v1/auth/token" - "$WORK/login.json" | jq -r .access_token)
bearer "$ADMIN_HEADER" "$admin_token"
rm -f "$WORK/login.json"
ME=$(call GET "$WF/api/v1/me" "$ADMIN_HEADER")
ORG=$(jq -r .org <<<"$ME")
info "$(jq -r .email <<<"$ME") in organisation $ORG (the organisation of the dispatcher's service account)"

# --- 2. local helpers: the web application under test and the webhook receiver ---------------------------------
step "Start the affected web application (127.0.0.1:$TARGET_PORT) and the analysts' webhook receiver (127.0.0.1:$WEBHOOK_PORT)"
for port in "$TARGET_PORT" "$WEBHOOK_PORT"; do
  port_open "$port" && fail "port $port is in use (ss -ltnp 'sport = :$port'); stop what listens there"
done
mkdir -p "$WORK/site"
printf '<!doctype html><title>Customer portal</title><h1>Customer portal</h1><p>Sign in to continue.</p>\n' \
  >"$WORK/site/index.html"
"$PYTHON" -m http.server "$TARGET_PORT" --bind 127.0.0.1 --directory "$WORK/site" >"$LOGS/demo-target.log" 2>&1 &
TARGET_PID=$!
WEBHOOK_OUT="$WORK/webhook.jsonl"
: >"$WEBHOOK_OUT"
BULWARK_DEMO_WEBHOOK_SECRET_FILE="$WORK/webhook.secret" \
  "$PYTHON" "$DEMO/webhook_receiver.py" "$WEBHOOK_PORT" "$WEBHOOK_OUT" >"$LOGS/demo-webhook.log" 2>&1 &
RECEIVER_PID=$!
wait_for 15 port_open "$TARGET_PORT" || fail "the target did not start (log: $LOGS/demo-target.log)"
wait_for 15 port_open "$WEBHOOK_PORT" || fail "the webhook receiver did not start (log: $LOGS/demo-webhook.log)"
info "target pid $TARGET_PID (python3 http.server), webhook receiver pid $RECEIVER_PID"

# --- 3. threat intelligence -----------------------------------------------------------------------------------
step "Import the demo's STIX bundle into the relay (source bulwark-demo)"
report=$(call POST "$RELAY/api/v1/feeds/import?format=stix&source=bulwark-demo" "$ADMIN_HEADER" \
  "$DEMO/indicators.stix.json")
info "import report: $(jq -c '{added,updated,unchanged,rejected:(.rejected|length)}' <<<"$report")"

# --- 4. identities for the workflow ---------------------------------------------------------------------------
step "Remove what a previous demo run left (credentials, clients, service accounts, API keys)"
creds=$(call GET "$WF/api/v1/credentials" "$ADMIN_HEADER")
for name in "${CREDENTIALS[@]}"; do
  for id in $(jq -r --arg n "$name" '.[] | select(.name == $n) | .id' <<<"$creds"); do
    call DELETE "$WF/api/v1/credentials/$id" "$ADMIN_HEADER" >/dev/null; info "credential $name removed"
  done
done
for id in $(call GET "$BACKBONE/api/v1/clients" "$ADMIN_HEADER" | jq -r '.[] | select(.name|startswith("soc-demo-")) | .clientId'); do
  call DELETE "$BACKBONE/api/v1/clients/$id" "$ADMIN_HEADER" >/dev/null; info "backbone client $id removed"
done
for id in $(call GET "$WF/api/v1/service-accounts" "$ADMIN_HEADER" | jq -r '.[] | select(.name|startswith("soc-demo-relay-")) | .id'); do
  call DELETE "$WF/api/v1/service-accounts/$id" "$ADMIN_HEADER" >/dev/null; info "service account $id removed"
done

step "Service account for the relay (role relay-client)"
jq -n --arg n "soc-demo-relay-$SUFFIX" '{name:$n,roles:["relay-client"]}' >"$WORK/sa.json"
sa=$(call POST "$WF/api/v1/service-accounts" "$ADMIN_HEADER" "$WORK/sa.json")
CLEANUP+=("$WF/api/v1/service-accounts/$(jq -r .id <<<"$sa")")
relay_basic=$(basic_of "$(jq -r .clientId <<<"$sa")" "$(jq -r .clientSecret <<<"$sa")")
info "$(jq -r .name <<<"$sa"): client id $(jq -r .clientId <<<"$sa")"

step "Backbone clients: the workflow's publisher, the analysts' console (reads) and pager (webhook)"
REG=""
register() { # <role> <request json>: REG = the registration (secrets included)
  REG=$(call POST "$BACKBONE/api/v1/clients" "$ADMIN_HEADER" "$2")
  CLEANUP+=("$BACKBONE/api/v1/clients/$(jq -r .clientId <<<"$REG")")
  info "$1: client $(jq -r .clientId <<<"$REG"), subscriptions $(jq -c .subscriptions <<<"$REG"), publish $(jq -c .publish <<<"$REG")$(jq -r 'if .webhook then ", webhook " + .webhook.url else "" end' <<<"$REG")"
}
jq -n --arg n "soc-demo-publisher-$SUFFIX" '{name:$n,subscriptions:[],publish:["soc.triage.#"]}' >"$WORK/c1.json"
register publisher "$WORK/c1.json"; publisher=$REG
jq -n --arg n "soc-demo-console-$SUFFIX" '{name:$n,subscriptions:["soc.triage.#"],publish:[]}' >"$WORK/c2.json"
register console "$WORK/c2.json"; console=$REG
jq -n --arg n "soc-demo-pager-$SUFFIX" --arg u "http://127.0.0.1:$WEBHOOK_PORT/bulwark" \
  '{name:$n,subscriptions:["soc.triage.#"],publish:[],webhook:{url:$u}}' >"$WORK/c3.json"
register pager "$WORK/c3.json"
(umask 077 && jq -j .webhook.secret <<<"$REG" >"$WORK/webhook.secret")
REG=""
publisher_basic=$(basic_of "$(jq -r .clientId <<<"$publisher")" "$(jq -r .secret <<<"$publisher")")

step "Automation user $AUTOMATION_EMAIL (role user, for the orchestrator) and an API key of its own"
USER_FILE="$RUN/automation-user.password"
[ -s "$USER_FILE" ] || (umask 077 && printf 'Demo-%s' "$(openssl rand -hex 16)" >"$USER_FILE")
jq -n --arg e "$AUTOMATION_EMAIL" --rawfile p "$USER_FILE" '{email:$e,password:$p,role:"user"}' >"$WORK/member.json"
code=$(curl -s -m 30 -o "$WORK/out" -w '%{http_code}' -H @"$ADMIN_HEADER" -H 'Content-Type: application/json' \
  --data-binary @"$WORK/member.json" "$WF/api/v1/orgs/$ORG/members") || code=000
case "$code" in
  202) info "member added (or invited)" ;;
  409) info "already a member (its password is the one kept in ${USER_FILE#"$ROOT"/})" ;;
  *) fail "adding $AUTOMATION_EMAIL answered $code: $(head -c 400 "$WORK/out")" ;;
esac
jq -n --arg u "$AUTOMATION_EMAIL" --rawfile p "$USER_FILE" --arg o "$ORG" \
  '{grant_type:"password",username:$u,password:$p,org:$o}' >"$WORK/login.json"
AUTOMATION_HEADER="$WORK/automation.header"
automation_token=$(call POST "$WF/api/v1/auth/token" - "$WORK/login.json" | jq -r .access_token)
bearer "$AUTOMATION_HEADER" "$automation_token"
for id in $(call GET "$WF/api/v1/api-keys" "$AUTOMATION_HEADER" | jq -r '.[] | select(.revokedAt == null and (.name|startswith("soc-demo-"))) | .id'); do
  call DELETE "$WF/api/v1/api-keys/$id" "$AUTOMATION_HEADER" >/dev/null; info "API key $id of a previous run revoked"
done
jq -n --arg n "soc-demo-$SUFFIX" '{name:$n}' >"$WORK/key.json"
key=$(call POST "$WF/api/v1/api-keys" "$AUTOMATION_HEADER" "$WORK/key.json")
API_KEY_ID=$(jq -r .id <<<"$key")
orchestrator_basic=$(basic_of api_key "$(jq -r .apiKey <<<"$key")")
info "API key $API_KEY_ID (revoked at the end of the demo)"

step "Credentials of the http app, each bound to the token endpoint only (allowedHosts localhost:8081)"
credential() { # <name> <Authorization header value>
  jq -n --arg n "$1" --arg v "$2" '{name:$n,app:"http",fields:{Authorization:$v},allowedHosts:["localhost:8081"]}' \
    >"$WORK/cred.json"
  local answer
  answer=$(call POST "$WF/api/v1/credentials" "$ADMIN_HEADER" "$WORK/cred.json")
  rm -f "$WORK/cred.json"
  CLEANUP+=("$WF/api/v1/credentials/$(jq -r .id <<<"$answer")")
  info "$1: fields $(jq -c .fields <<<"$answer"), preview $(jq -c .preview <<<"$answer"), allowedHosts $(jq -c .allowedHosts <<<"$answer")"
}
credential demo-relay-client "$relay_basic"
credential demo-backbone-publisher "$publisher_basic"
credential demo-orchestrator-key "$orchestrator_basic"
unset relay_basic publisher_basic orchestrator_basic key sa

# --- 5. the workflow ------------------------------------------------------------------------------------------
step "Save the triage workflow (deploy/local/demo/triage-workflow.json)"
WORKFLOW_ID=$(call GET "$WF/api/v1/workflows" "$ADMIN_HEADER" \
  | jq -r --arg n "$WORKFLOW_NAME" '[.[] | select(.name == $n)][0].id // empty')
if [ -n "$WORKFLOW_ID" ]; then
  saved=$(call PUT "$WF/api/v1/workflows/$WORKFLOW_ID" "$ADMIN_HEADER" "$DEMO/triage-workflow.json")
else
  saved=$(call POST "$WF/api/v1/workflows" "$ADMIN_HEADER" "$DEMO/triage-workflow.json")
  WORKFLOW_ID=$(jq -r .id <<<"$saved")
fi
info "workflow $WORKFLOW_ID version $(jq -r .version <<<"$saved"), $(jq '.actions|length' <<<"$saved") actions"

# --- 6. the alert ---------------------------------------------------------------------------------------------
step "An alert arrives on Kafka (topic $TOPIC, key $ALERT_ID): start_workflow for the dispatcher"
jq -nc --arg id "$ALERT_ID" --arg wf "$WORKFLOW_ID" --argjson port "$TARGET_PORT" '{
  message_type: "start_workflow", message_id: ("demo-" + $id),
  values: {workflowId: $wf, priority: 7, argument: {alert: {
    id: $id, title: "Outbound connections from the customer portal to a known C2 address",
    source: "edr", severity: 8,
    observables: [{type: "ip", value: "203.0.113.66"}, {type: "domain", value: "login-bulwark-demo.example"},
                  {type: "domain", value: "updates.bulwark-demo.example"}],
    asset: {name: "customer-portal", host: "127.0.0.1", port: $port, protocol: "http"}}}}}' >"$WORK/alert.json"
info "$(jq -c '.values.argument.alert | {id,title,observables}' "$WORK/alert.json")"
# The alert starts a trace: its W3C traceparent header is continued by every service the alert reaches.
TRACE_ID=$(openssl rand -hex 16)
TRACEPARENT="00-$TRACE_ID-$(openssl rand -hex 8)-01"
printf 'traceparent:%s\t%s|%s\n' "$TRACEPARENT" "$ALERT_ID" "$(cat "$WORK/alert.json")" \
  | "$JAVA_BIN" -cp "$STATE/kafka/lib/*" \
  org.apache.kafka.tools.ConsoleProducer --bootstrap-server 127.0.0.1:9092 --topic "$TOPIC" \
  --property parse.key=true --property key.separator='|' --property parse.headers=true >"$WORK/producer.log" 2>&1 \
  || fail "the Kafka console producer failed: $(tail -5 "$WORK/producer.log")"
info "produced with traceparent $TRACEPARENT"
info "trace $TRACE_ID (its spans: grep $TRACE_ID ${LOGS#"$ROOT"/}/*.log; see docs/operations.md, Tracing)"

step "The dispatcher starts the triage workflow"
deadline=$(( $(date +%s) + 90 ))
EXECUTION_ID=""
while [ -z "$EXECUTION_ID" ]; do
  for id in $(call GET "$WF/api/v1/executions?workflowId=$WORKFLOW_ID&size=10" "$ADMIN_HEADER" | jq -r '.items[].id'); do
    if call GET "$WF/api/v1/executions/$id" "$ADMIN_HEADER" \
        | jq -e --arg a "$ALERT_ID" '.argument.alert.id == $a' >/dev/null; then
      EXECUTION_ID=$id; break
    fi
  done
  [ -n "$EXECUTION_ID" ] && break
  [ "$(date +%s)" -ge "$deadline" ] && fail "no execution for $ALERT_ID within 90 s (dispatcher log: $LOGS/dispatcher-service.log; dead letters on topic errors)"
  sleep 1
done
execution=$(call GET "$WF/api/v1/executions/$EXECUTION_ID" "$ADMIN_HEADER")
info "execution $EXECUTION_ID (trigger $(jq -r .trigger <<<"$execution"))"

step "worker-agent runs the workflow (bounded: ${TIMEOUT} s)"
deadline=$(( $(date +%s) + TIMEOUT ))
seen=""
while :; do
  execution=$(call GET "$WF/api/v1/executions/$EXECUTION_ID" "$ADMIN_HEADER")
  while IFS=$'\t' read -r action status; do
    [ -z "$action" ] && continue
    case " $seen " in *" $action "*) continue ;; esac
    seen="$seen $action"
    info "$action: $status"
  done < <(jq -r '.results[] | select(.status != "RUNNING") | [.actionId, .status] | @tsv' <<<"$execution")
  status=$(jq -r .status <<<"$execution")
  case "$status" in FINISHED|FAILED|ABORTED) break ;; esac
  [ "$(date +%s)" -ge "$deadline" ] && fail "execution $EXECUTION_ID still $status after ${TIMEOUT} s"
  sleep 2
done
info "execution $EXECUTION_ID: $status"
[ "$status" = FINISHED ] || fail "execution ended $status: $(jq -c '.error, [.results[] | select(.status == "FAILURE") | {actionId, error}]' <<<"$execution")"
report=$(jq '[.results[] | select(.actionId == "report")][0].output' <<<"$execution")
[ "$report" != null ] || fail "the workflow ended without a report (no malicious verdict?): $(jq -c '[.results[] | {actionId,status}]' <<<"$execution")"

step "Verdict (relay)"
VERDICT=$(jq -r .verdict <<<"$report")
info "verdict: $VERDICT"
jq -r '.maliciousObservables[] | "    malicious: \(.observable.type) \(.observable.value) (\(.disposition_name))"' <<<"$report"
[ "$VERDICT" = malicious ] || fail "expected a malicious verdict"

step "What the analysts received (backbone)"
MESSAGE_ID=$(jq -r .notification.messageId <<<"$report")
info "sent on soc.triage.malicious as message $MESSAGE_ID"
console_token=$(client_token "$(jq -r .clientId <<<"$console")" "$(jq -r .secret <<<"$console")")
bearer "$WORK/console.header" "$console_token"
received=$(call GET "$BACKBONE/api/v1/receive?max=10&wait=20" "$WORK/console.header")
match=$(jq -c --arg id "$MESSAGE_ID" '[.messages[] | select(.id == $id)][0] // empty' <<<"$received")
[ -n "$match" ] || fail "the console client did not receive message $MESSAGE_ID: $(head -c 400 <<<"$received")"
info "console client received: $(jq -c '{id,topic,sender,correlationId,payload:{alert:.payload.alert,verdict:.payload.verdict}}' <<<"$match")"
deadline=$(( $(date +%s) + 60 ))
until hook=$(jq -c --arg id "$MESSAGE_ID" 'select(.envelope.id == $id)' "$WEBHOOK_OUT" 2>/dev/null | head -1) && [ -n "$hook" ]; do
  [ "$(date +%s)" -ge "$deadline" ] && fail "the webhook receiver got no push of $MESSAGE_ID within 60 s (backbone log: $LOGS/backbone-service.log)"
  sleep 1
done
info "webhook received: $(jq -c '{messageId,attempt,signatureValid,topic:.envelope.topic,correlationId:.envelope.correlationId}' <<<"$hook")"
[ "$(jq -r .signatureValid <<<"$hook")" = true ] || fail "the webhook's signature did not verify"

step "The re-test (orchestrator)"
RUN_ID=$(jq -r .retest.runId <<<"$report")
RUN_STATUS=$(jq -r .retest.status <<<"$report")
info "run $RUN_ID against $(jq -r .retest.target <<<"$report"): $RUN_STATUS"
jq -r '.retest.testers[] | "    tester \(.name): \(.status), \(.findings) finding(s)" ,
  (.sessions[] | "      session \(.id): \(.status), \(.findings) finding(s)\(if .message then " — " + .message else "" end)")' <<<"$report"
jq -r '[.retest.events[] | select(.type == "finished" or .type == "failed")] | .[] | "    event \(.type): \(.data|tostring)"' <<<"$report"
[ "$RUN_STATUS" = FINISHED ] || fail "the re-test run ended $RUN_STATUS"

printf '\nSUMMARY alert=%s execution=%s verdict=%s message=%s run=%s outcome=%s findings=%s trace=%s\n' \
  "$ALERT_ID" "$EXECUTION_ID" "$VERDICT" "$MESSAGE_ID" "$RUN_ID" "$RUN_STATUS" \
  "$(jq '[.retest.testers[].findings] | add' <<<"$report")" "$TRACE_ID"
