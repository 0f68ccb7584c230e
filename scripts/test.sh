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
# TWEETS_SKIP_KIT_VALIDATION=1 leaves out scripts/validate/all.sh, for a
# CI that runs it as a job of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

work=$(mktemp -d /tmp/tweets-test.XXXXXX)
chmod 755 "$work"
cleanup() {
	stop_s3
	stop_postgres
	rm -rf "$work"
}
trap cleanup EXIT

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

if [ -z "${TWEETS_TEST_S3_URL:-}" ]; then
	echo "== starting SeaweedFS (S3)"
	start_s3 "$work/s3"
	export TWEETS_TEST_S3_URL=$S3_URL
fi
echo "   S3 for the tests: ${TWEETS_TEST_S3_URL%%:*}://...@${TWEETS_TEST_S3_URL##*@}"

echo "== lint"
bash scripts/lint.sh

echo "== go test"
go test -count=1 -timeout 20m "$@" ./...

if [ -z "${TWEETS_SKIP_KIT_VALIDATION:-}" ]; then
	echo "== deployment kit"
	bash scripts/validate/all.sh
fi
