#!/usr/bin/env bash
# Runs the whole test suite: starts the servers the tests need on loopback
# (installing them from Debian packages when missing), lints, runs every Go
# test against both SQLite and PostgreSQL (the stack test included), then
# validates the deployment kit with its real tools.
#
# TWEETS_TEST_POSTGRES_URL, when set, names a PostgreSQL server to use
# instead of starting one (a CI service container, say);
# TWEETS_TEST_S3_URL (http://ACCESS_KEY:SECRET_KEY@host:port) likewise an
# S3 server. Otherwise SeaweedFS is started for the S3 media store's
# tests: the first run builds it from the Go module proxy (minutes).
# TWEETS_TEST_MASTO_DIR names a directory with masto.js installed (its
# node_modules); otherwise it is installed from npm into the tools cache.
# TWEETS_SKIP_KIT_VALIDATION=1 leaves out scripts/validate/all.sh, for a
# CI that runs it as a job of its own.
# TWEETS_TEST_FUZZTIME (default 1s) is how long each fuzz target runs
# in the short fuzz phase.
# TWEETS_SKIP_ENGINE_TEST=1 leaves out scripts/engine-test.sh (a Docker
# engine of its own, the image built, Terraform applied to it).
#
# Slow on the first run only (then cached outside the repository): the
# Debian packages (~2 min), the Go tools built from source for the kit's
# checks (the Terraform Docker provider ~6 min, Compose v2 ~3 min,
# actionlint, staticcheck), and the engine test's PostgreSQL image made
# with debootstrap (~3 min). Each prints what it builds as it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

work=$(mktemp -d /tmp/tweets-test.XXXXXX)
chmod 755 "$work"
cleanup() {
	stop_s3
	if [ -n "${kit_pid:-}" ] && kill -0 "$kit_pid" 2>/dev/null; then
		kill "$kit_pid"
		wait "$kit_pid" 2>/dev/null || true
	fi
	if [ -n "${engine_pid:-}" ] && kill -0 "$engine_pid" 2>/dev/null; then
		kill "$engine_pid"
		wait "$engine_pid" 2>/dev/null || true
	fi
	stop_postgres
	rm -rf "$work"
}
trap cleanup EXIT

# phase NAME: prints how long the step that just ended took.
phase_start=$SECONDS
phase() {
	echo "   ($1: $((SECONDS - phase_start)) s)"
	phase_start=$SECONDS
}

echo "== tools the tests use"
# Prometheus, Redis and nginx for the scrape, replica and stack tests
# (envsubst renders the nginx configuration), Chromium for the browser
# test; PostgreSQL for the stack test's own server.
need_pkg prometheus prometheus
command -v google-chrome >/dev/null 2>&1 || need_pkg chromium chromium
need_pkg redis-server redis-server
need_pkg nginx nginx
need_pkg envsubst gettext-base
need_pkg curl curl
if [ -z "$(pg_bindir)" ]; then
	need_pkg /usr/lib/postgresql/15/bin/postgres postgresql
fi

if [ -z "${TWEETS_TEST_POSTGRES_URL:-}" ]; then
	echo "== starting PostgreSQL"
	start_postgres "$work/pg"
	export TWEETS_TEST_POSTGRES_URL=$PG_URL
fi
echo "   PostgreSQL for the tests: $TWEETS_TEST_POSTGRES_URL"
phase "tools and servers"

# The engine test mostly waits (for PostgreSQL, for health checks): it runs
# alongside lint and the Go tests, its output kept until they are done.
engine_pid=
if [ -z "${TWEETS_SKIP_ENGINE_TEST:-}" ]; then
	echo "== real Docker engine: image, container, terraform apply (in the background)"
	bash scripts/engine-test.sh >"$work/engine.log" 2>&1 &
	engine_pid=$!
fi

if [ -z "${TWEETS_TEST_S3_URL:-}" ]; then
	echo "== starting SeaweedFS (S3)"
	start_s3 "$work/s3"
	export TWEETS_TEST_S3_URL=$S3_URL
fi
echo "   S3 for the tests: ${TWEETS_TEST_S3_URL%%:*}://...@${TWEETS_TEST_S3_URL##*@}"

if [ -z "${TWEETS_TEST_MASTO_DIR:-}" ]; then
	echo "== masto.js (a Mastodon client library) for the API's client test"
	ensure_masto
	export TWEETS_TEST_MASTO_DIR=$MASTO_DIR
fi

# The kit's validators are other programs, mostly reading files: they
# run alongside lint and the Go tests (which spend much of their time
# waiting for servers), their output kept until those are done.
kit_pid=
if [ -z "${TWEETS_SKIP_KIT_VALIDATION:-}" ]; then
	echo "== deployment kit (in the background)"
	bash scripts/validate/all.sh >"$work/kit.log" 2>&1 &
	kit_pid=$!
fi

echo "== lint"
bash scripts/lint.sh
phase "lint"

echo "== go test"
# Four packages at a time: most tests spend their time waiting for the
# servers they start, and two at a time left the cores half idle.
go test -count=1 -p "${TWEETS_TEST_PACKAGES:-4}" -timeout 20m "$@" ./...
phase "go test"

# Plain go test above replays each fuzz target's seeds and corpus; this
# also mutates them, briefly (make fuzz for minutes a target).
echo "== fuzz (short)"
FUZZTIME=${TWEETS_TEST_FUZZTIME:-1s} bash scripts/fuzz.sh
phase "fuzz"

if [ -n "$kit_pid" ]; then
	echo "== deployment kit (its log)"
	kit_status=0
	wait "$kit_pid" || kit_status=$?
	cat "$work/kit.log"
	phase "deployment kit, after the rest"
	[ "$kit_status" = 0 ] || { echo "deployment kit: FAILED" >&2; exit 1; }
fi

if [ -n "$engine_pid" ]; then
	echo "== real Docker engine (its log)"
	engine_status=0
	wait "$engine_pid" || engine_status=$?
	cat "$work/engine.log"
	phase "engine test, after the rest"
	[ "$engine_status" = 0 ] || { echo "engine test: FAILED" >&2; exit 1; }
fi
