#!/usr/bin/env bash
# Runs the whole test suite against the local infrastructure:
#   test.sh [maven args...]   =  infra.sh up --docker (worker-agent's container apps need an engine), then (from the repo root) mvnw -B verify [maven args...]
# The exit code is Maven's.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

"$HERE/infra.sh" up --docker
cd "$ROOT"
exec "$ROOT/mvnw" -B verify "$@"
