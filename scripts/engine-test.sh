#!/usr/bin/env bash
# The real-engine test: a Docker engine of its own (Debian's docker.io),
# the project's image built from the Dockerfile, and the Terraform modules
# applied to that engine with the real kreuzwerker/docker provider.
#
#   1. image: builds the Dockerfile with a prebuilt static binary
#      (BINARY=prebuilt, RUNTIME_BASE=scratch: golang and distroless
#      cannot be pulled offline);
#   2. run: the image read-only, as non-root, with every capability
#      dropped: /healthz, /readyz, the HEALTHCHECK state, a clean SIGTERM;
#   3. terraform (deploy/terraform/environments/local: the database and
#      web-app modules): an apply whose migration fails must fail; a
#      production-like apply passes `tweets check --deploy` and every
#      replica answers; a development apply (TWEETS_DEMO=1) has the demo
#      account on PostgreSQL; then terraform destroy.
#
# PostgreSQL comes from a local image (scripts/engine/postgres) on a Debian
# base made with debootstrap, standing in for the official postgres:15.
#
# Slow the first time only, then cached in $TWEETS_ENGINE_CACHE
# (~/.cache/tweets-engine) and the tools cache: installing docker.io and
# debootstrap (~1 min), building the Terraform Docker provider from source
# (~6 min), debootstrap of the PostgreSQL base (~3 min). A rerun takes
# about 2 minutes, most of it Terraform waiting for health checks.
#
# The engine has its own data root (kept: base images survive between runs)
# and exec root, runs with --iptables=false, publishes ports on 127.0.0.1
# only, and is stopped by its PID. Its registry traffic goes to a proxy
# address on loopback where nothing listens, so nothing is ever pulled.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/validate/lib.sh
. scripts/validate/lib.sh

CACHE="${TWEETS_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tweets-engine}"
DOCKER=/usr/bin/docker # the 20.10 client; a newer one first on PATH wants buildx
APP_IMAGE=tweets:local
PG_BASE=tweets-local/debian-postgres:bookworm
PG_IMAGE=tweets-local/postgres:15-debian
PREFIX=tweets-engine-test
PORT_BASE=${TWEETS_ENGINE_PORT_BASE:-18600}

if [ "$(id -u)" -ne 0 ]; then
	not_checked "the real-engine test needs root to start a Docker engine"
	exit 0
fi

echo "First run only: installing docker.io and debootstrap (~1 min), building the"
echo "Terraform Docker provider from source (~6 min) and a Debian base with"
echo "PostgreSQL by debootstrap (~3 min); all cached in $CACHE and $TOOLS_CACHE."

start=$SECONDS
phase_start=$SECONDS
phase() {
	printf '   %-28s %4ds\n' "$1" $((SECONDS - phase_start)) >&2
	phase_start=$SECONDS
}

work=$(mktemp -d /tmp/tweets-engine.XXXXXX)
engine_pid=
cleanup() {
	if [ -n "$engine_pid" ] && kill -0 "$engine_pid" 2>/dev/null; then
		kill "$engine_pid"
		for _ in $(seq 1 60); do
			kill -0 "$engine_pid" 2>/dev/null || break
			sleep 0.5
		done
	fi
	rm -rf "$work"
}
trap cleanup EXIT
# Killed (make test stopping early): still stop the engine, through EXIT.
trap 'exit 1' TERM INT

log "tools"
ensure_apt dockerd docker.io
ensure_apt debootstrap debootstrap
command -v terraform >/dev/null 2>&1 || die "terraform is not installed (it is not a Debian package)"
go_build_scratch terraform-provider-docker github.com/terraform-providers/terraform-provider-docker \
	"github.com/terraform-providers/terraform-provider-docker v0.0.0" \
	"github.com/terraform-providers/terraform-provider-docker => github.com/kreuzwerker/terraform-provider-docker $TF_DOCKER_PROVIDER_PSEUDO"
phase "tools"

log "starting a Docker engine (data root $CACHE/data)"
mkdir -p "$CACHE/data" "$CACHE/exec"
sock="$CACHE/exec/docker.sock"
export DOCKER_HOST="unix://$sock"
# HTTP(S)_PROXY: a pull or a frontend lookup fails at once on loopback
# instead of trying the internet.
HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY='' \
	dockerd --data-root "$CACHE/data" --exec-root "$CACHE/exec" --pidfile "$CACHE/exec/dockerd.pid" \
	-H "$DOCKER_HOST" --iptables=false --ip-forward=false --ip-masq=false --dns 127.0.0.1 \
	>"$work/dockerd.log" 2>&1 &
engine_pid=$!
for _ in $(seq 1 120); do
	"$DOCKER" version >/dev/null 2>&1 && break
	kill -0 "$engine_pid" 2>/dev/null || { cat "$work/dockerd.log" >&2; die "dockerd did not start"; }
	sleep 0.5
done
"$DOCKER" version >/dev/null || die "dockerd did not answer within 60 s"
# Objects a run interrupted earlier may have left behind.
"$DOCKER" ps -aq --filter "name=$PREFIX" | xargs -r "$DOCKER" rm -f >/dev/null
"$DOCKER" volume ls -q --filter "name=$PREFIX" | xargs -r "$DOCKER" volume rm >/dev/null
"$DOCKER" network ls -q --filter "name=$PREFIX" | xargs -r "$DOCKER" network rm >/dev/null
phase "engine"

log "image $APP_IMAGE from the Dockerfile, with a prebuilt binary"
mkdir -p "$work/ctx"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/ctx/tweets" ./cmd/tweets
# The syntax line asks BuildKit to pull the docker/dockerfile frontend;
# offline, the engine's built-in frontend reads the same file.
sed '1{/^# syntax=/d}' Dockerfile >"$work/Dockerfile"
DOCKER_BUILDKIT=1 "$DOCKER" build -q -f "$work/Dockerfile" --build-arg BINARY=prebuilt \
	--build-arg RUNTIME_BASE=scratch -t "$APP_IMAGE" "$work/ctx" >/dev/null
phase "app image"

log "image $PG_IMAGE (stands in for postgres:15)"
if ! "$DOCKER" image inspect "$PG_BASE" >/dev/null 2>&1; then
	rootfs="$CACHE/rootfs/postgres"
	if [ ! -x "$rootfs/usr/lib/postgresql/15/bin/postgres" ]; then
		rm -rf "$rootfs.tmp"
		mkdir -p "$CACHE/rootfs"
		log "debootstrap bookworm with postgresql-15 (once)"
		nice -n 10 debootstrap --variant=minbase --include=postgresql-15,postgresql-client-15 \
			bookworm "$rootfs.tmp" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
			{ tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
		# The cluster the package made, and the package lists: the entrypoint
		# makes its own cluster in PGDATA.
		rm -rf "$rootfs.tmp/var/lib/postgresql/15" "$rootfs.tmp/etc/postgresql/15" \
			"$rootfs.tmp/var/lib/apt/lists"/* "$rootfs.tmp/var/cache/apt"/*.bin
		mv "$rootfs.tmp" "$rootfs"
	fi
	tar -C "$rootfs" -c . | "$DOCKER" import - "$PG_BASE" >/dev/null
fi
DOCKER_BUILDKIT=1 "$DOCKER" build -q -t "$PG_IMAGE" scripts/engine/postgres >/dev/null
phase "postgres image"

log "run: read-only, non-root, no capabilities"
name="$PREFIX-run"
"$DOCKER" run -d --name "$name" --read-only --cap-drop ALL --security-opt no-new-privileges:true \
	--tmpfs /tmp:rw,noexec,nosuid,size=64m -p "127.0.0.1:$PORT_BASE:8000" \
	--health-interval 1s --health-start-period 1s "$APP_IMAGE" >/dev/null
[ "$("$DOCKER" inspect -f '{{.Config.User}}' "$name")" = "65532:65532" ] || die "the image does not run as 65532"
health=
for _ in $(seq 1 60); do
	health=$("$DOCKER" inspect -f '{{.State.Health.Status}}' "$name")
	[ "$health" = healthy ] && break
	sleep 0.5
done
[ "$health" = healthy ] || { "$DOCKER" logs "$name" >&2; die "HEALTHCHECK: $health"; }
for path in /healthz /readyz; do
	code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: localhost' "http://127.0.0.1:$PORT_BASE$path")
	[ "$code" = 200 ] || die "GET $path: $code"
done
stop_start=$SECONDS
"$DOCKER" stop -t 30 "$name" >/dev/null
[ $((SECONDS - stop_start)) -lt 20 ] || die "SIGTERM: the server took $((SECONDS - stop_start)) s to stop"
exit_code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$name")
[ "$exit_code" = 0 ] || die "SIGTERM: exit status $exit_code"
"$DOCKER" logs "$name" 2>&1 | grep -q '"msg":"stopped"' || die "SIGTERM: no clean shutdown in the log"
"$DOCKER" rm "$name" >/dev/null
phase "run checks"

log "terraform apply of deploy/terraform/environments/local"
cp -r deploy/terraform "$work/tf"
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "kreuzwerker/docker" = "$TOOLS_BIN"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
export TF_VAR_docker_host="$DOCKER_HOST" TF_VAR_name_prefix="$PREFIX" TF_VAR_image="$APP_IMAGE" \
	TF_VAR_postgres_image="$PG_IMAGE" TF_VAR_publish_port_base="$PORT_BASE" TF_VAR_replicas=2
TF_VAR_secret_key=$(head -c 36 /dev/urandom | base64)
TF_VAR_postgres_password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
export TF_VAR_secret_key TF_VAR_postgres_password
tf=(terraform -chdir="$work/tf/environments/local")
"${tf[@]}" get >/dev/null

# every_replica_ready HOST: each replica answers /readyz on its port.
every_replica_ready() {
	local i code
	for i in 0 1; do
		code=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $1" "http://127.0.0.1:$((PORT_BASE + i))/readyz")
		[ "$code" = 200 ] || die "replica $i: GET /readyz: $code"
	done
}

# A migration that fails (its database does not exist) fails the apply,
# and no replica starts.
if "${tf[@]}" apply -auto-approve -no-color -var database_name=missing >"$work/apply-fail.log" 2>&1; then
	die "terraform apply succeeded although the migration failed"
fi
grep -q "The migration failed" "$work/apply-fail.log" || { cat "$work/apply-fail.log" >&2; die "apply failed, but not on the migration"; }
[ -z "$("$DOCKER" ps -aq --filter "name=$PREFIX-web-[0-9]")" ] || die "replicas started after a failed migration"
phase "apply, failing migration"

# Production-like: a real host name, Secure cookies, no demo account.
"${tf[@]}" apply -auto-approve -no-color -var 'allowed_hosts=["tweets.example.test"]' \
	-var cookie_secure=true -var demo=false >"$work/apply-prod.log" 2>&1 ||
	{ cat "$work/apply-prod.log" >&2; die "terraform apply (production-like) failed"; }
every_replica_ready tweets.example.test
if ! out=$("$DOCKER" exec "$PREFIX-web-0" /tweets check --deploy 2>&1); then
	printf '%s\n' "$out" >&2
	die "check --deploy fails on the production-like apply"
fi
phase "apply, production-like"

# Development: TWEETS_DEMO=1 on PostgreSQL creates the demo account, which
# check --deploy then reports.
"${tf[@]}" apply -auto-approve -no-color >"$work/apply-dev.log" 2>&1 ||
	{ cat "$work/apply-dev.log" >&2; die "terraform apply (development) failed"; }
every_replica_ready localhost
out=$("$DOCKER" exec "$PREFIX-web-0" /tweets check --deploy 2>&1 || true)
grep -q "demo account" <<<"$out" || { printf '%s\n' "$out" >&2; die "no demo account on PostgreSQL with TWEETS_DEMO=1"; }
phase "apply, development"

# The database volume is protected from destroy (prevent_destroy): take it
# out of the state first, as one would to decommission, then remove it.
"${tf[@]}" state rm module.database.docker_volume.data >/dev/null
"${tf[@]}" destroy -auto-approve -no-color >"$work/destroy.log" 2>&1 ||
	{ cat "$work/destroy.log" >&2; die "terraform destroy failed"; }
"$DOCKER" volume rm "$PREFIX-pgdata" >/dev/null
left=$("$DOCKER" ps -aq --filter "name=$PREFIX")
[ -z "$left" ] || die "containers left after destroy: $left"
phase "destroy"

log "engine test: OK in $((SECONDS - start)) s"
