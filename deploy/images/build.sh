#!/usr/bin/env bash
# Builds the JVM container images of the Bulwark services on a machine with a Docker engine and no registry.
#   build.sh [--no-package] [--rebuild-base] [--base-only] [--appcds] [service...]
# 1. Base image (once; rebuilt only when missing or with --rebuild-base): Debian bookworm minbase from
#    debootstrap + openjdk-17-jre-headless + ca-certificates, user/group 185, documentation and apt lists stripped,
#    `docker import`ed as $PREFIX/jre17-base:bookworm-$BASE_REVISION. Nothing is pulled.
# 2. Services: `mvnw -B package -DskipTests` (skipped with --no-package; give Maven options in BULWARK_MVN_ARGS,
#    e.g. -o), then one image per service from Dockerfile.jvm: $PREFIX/<service>:<project version>.
#    --appcds adds an AppCDS archive made in the image (Dockerfile.appcds; the README says what it gains).
# Prints each image's reference and ID (sha256 digest of its configuration) and, once an image is pushed, its
# repository digest is what `docker push` prints.
# Environment: BULWARK_IMAGE_PREFIX (default bulwark), BULWARK_IMAGE_TAG (default: the project version),
#   BULWARK_DEBIAN_MIRROR (default: the first Debian mirror in this machine's apt sources), BULWARK_MVN_ARGS.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PROG=build
SERVICES_ALL=(workflow-service worker-agent backbone-service relay-service dispatcher-service orchestrator-service)
# Bump when the base recipe below changes: the tag names the recipe, so a changed recipe builds a new base.
BASE_REVISION=2
PREFIX="${BULWARK_IMAGE_PREFIX:-bulwark}"
BASE_IMAGE="$PREFIX/jre17-base:bookworm-$BASE_REVISION"

msg() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
since() { local ms=$(( $(now_ms) - $1 )); printf '%d.%d s' $(( ms / 1000 )) $(( (ms % 1000) / 100 )); }

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }

package=1 rebuild_base=0 base_only=0 appcds=false services=()
for arg in "$@"; do
  case "$arg" in
    --no-package) package=0 ;;
    --rebuild-base) rebuild_base=1 ;;
    --base-only) base_only=1 ;;
    --appcds) appcds=true ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option $arg (try --help)" ;;
    *) printf '%s\n' "${SERVICES_ALL[@]}" | grep -qx -- "$arg" || die "unknown service $arg (one of: ${SERVICES_ALL[*]})"
       services+=("$arg") ;;
  esac
done
[ "${#services[@]}" -gt 0 ] || services=("${SERVICES_ALL[@]}")

command -v docker >/dev/null 2>&1 || die "docker CLI not found"
docker info >/dev/null 2>&1 || die "no Docker engine answers (DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock})"

# The project version: the root POM's own <version> (the first one after its <artifactId>).
project_version() {
  sed -n '/<artifactId>bulwark-parent<\/artifactId>/,/<\/version>/ s:.*<version>\(.*\)</version>.*:\1:p' \
    "$ROOT/pom.xml" | head -n 1
}
TAG="${BULWARK_IMAGE_TAG:-$(project_version)}"
[ -n "$TAG" ] || die "cannot read the project version from $ROOT/pom.xml"

debian_mirror() {
  if [ -n "${BULWARK_DEBIAN_MIRROR:-}" ]; then echo "$BULWARK_DEBIAN_MIRROR"; return; fi
  # deb822 sources (URIs: …) or one-line sources (deb <uri> <suite> …); the first plain Debian archive wins.
  cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }'
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1 == "deb" { print ($2 ~ /^\[/ ? $3 : $2) }'
}
pick_mirror() {
  { debian_mirror || true; } | grep -E '/debian/?$' | head -n 1 || true
}

build_base() {
  local t0 rootfs mirror
  t0=$(now_ms)
  [ "$(id -u)" -eq 0 ] || die "building the base image needs root (debootstrap): run as root once, later runs reuse it"
  command -v debootstrap >/dev/null 2>&1 || {
    msg "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  mirror=$(pick_mirror)
  [ -n "$mirror" ] || die "no Debian mirror found in the apt sources: set BULWARK_DEBIAN_MIRROR"
  rootfs=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-base.XXXXXX")
  # mktemp makes the directory 0700: as the image's / it would stop every non-root user at the root.
  chmod 0755 "$rootfs"
  trap 'rm -rf "$rootfs"' EXIT
  msg "base: debootstrap --variant=minbase bookworm from $mirror (log $rootfs.log)"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates bookworm "$rootfs" "$mirror" \
    >"$rootfs.log" 2>&1 || { tail -n 30 "$rootfs.log" >&2; die "debootstrap failed"; }
  # The user of the Quarkus/UBI OpenJDK images, so that runAsUser/fsGroup 185 has a name and a home.
  chroot "$rootfs" groupadd --system --gid 185 jboss
  chroot "$rootfs" useradd --system --uid 185 --gid 185 --no-create-home --home-dir /deployments --shell /usr/sbin/nologin jboss
  mkdir -p "$rootfs/deployments"
  # Strip what a runtime never reads: apt/dpkg caches and lists, documentation, man pages, locales, logs.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
    "$rootfs"/usr/share/lintian "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/root/.cache
  # The JRE's own CDS archive stays (faster start); its unused desktop bits do not exist in the headless package.
  tar --numeric-owner -C "$rootfs" -c . | docker import \
    -c 'ENV LANG=C.UTF-8' \
    -c 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'USER 185:185' \
    -c 'WORKDIR /deployments' \
    - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
  trap - EXIT
  msg "base: $BASE_IMAGE built in $(since "$t0")"
}

if [ "$rebuild_base" -eq 1 ] || ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  build_base
else
  msg "base: $BASE_IMAGE present (--rebuild-base to rebuild it)"
fi
[ "$base_only" -eq 0 ] || exit 0

if [ "$package" -eq 1 ]; then
  t0=$(now_ms)
  modules=$(IFS=,; echo "${services[*]}")
  msg "packaging: mvnw -B ${BULWARK_MVN_ARGS:-} package -DskipTests -pl $modules -am"
  # shellcheck disable=SC2086  # BULWARK_MVN_ARGS is a list of options
  (cd "$ROOT" && ./mvnw -B -q ${BULWARK_MVN_ARGS:-} package -DskipTests -pl "$modules" -am) || die "Maven package failed"
  msg "packaged in $(since "$t0")"
fi

# Staging context: target/quarkus-app with lib/ split into third-party and project jars (see Dockerfile.jvm).
stage() {
  local app=$1 ctx=$2 jar
  rm -rf "$ctx"
  mkdir -p "$ctx/lib/third-party" "$ctx/lib/project" "$ctx/code"
  cp -a "$app/app" "$app/quarkus" "$app/quarkus-run.jar" "$ctx/code/"
  (cd "$app/lib" && find . -type d) | while read -r dir; do
    mkdir -p "$ctx/lib/third-party/$dir" "$ctx/lib/project/$dir"
  done
  (cd "$app/lib" && find . -type f) | while read -r jar; do
    case "$(basename "$jar")" in
      dev.bulwark.*) cp -a "$app/lib/$jar" "$ctx/lib/project/$jar" ;;
      *) cp -a "$app/lib/$jar" "$ctx/lib/third-party/$jar" ;;
    esac
  done
}

results=()
for svc in "${services[@]}"; do
  app="$ROOT/$svc/target/quarkus-app"
  [ -f "$app/quarkus-run.jar" ] || die "$app/quarkus-run.jar not found: package first (build.sh without --no-package)"
  ctx="$ROOT/$svc/target/image-context"
  stage "$app" "$ctx"
  t0=$(now_ms)
  image="$PREFIX/$svc:$TAG"
  msg "$svc: docker build -t $image"
  docker build -q -f "$HERE/Dockerfile.jvm" --build-arg "BASE=$BASE_IMAGE" \
    --build-arg "VERSION=$TAG" -t "$image" "$ctx" >/dev/null || die "docker build of $svc failed"
  if [ "$appcds" = true ]; then
    mkdir -p "$ctx-appcds"
    docker build -q --network none -f "$HERE/Dockerfile.appcds" --build-arg "IMAGE=$image" -t "$image" \
      "$ctx-appcds" >/dev/null || die "AppCDS archive of $svc failed"
  fi
  id=$(docker image inspect -f '{{.Id}}' "$image")
  size=$(docker image inspect -f '{{.Size}}' "$image")
  msg "$svc: built in $(since "$t0")"
  results+=("$(printf '%-44s %s  %d MB' "$image" "$id" $(( size / 1000000 )))")
done

printf '%-44s %-71s %s\n' IMAGE 'ID (digest)' SIZE
printf '%s\n' "${results[@]}"
