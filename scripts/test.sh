#!/usr/bin/env bash
# Runs the whole test suite: starts the servers the tests need on loopback
# (installing them from Debian packages when missing), runs every Go test
# against both SQLite and PostgreSQL, and stops the servers again.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

work=$(mktemp -d /tmp/tweets-test.XXXXXX)
chmod 755 "$work"
cleanup() {
	stop_postgres
	rm -rf "$work"
}
trap cleanup EXIT

echo "== tools the tests use"
# Prometheus for the scrape test and Redis for the replica tests; the
# deployment kit's own tools are installed by scripts/validate.
need_pkg prometheus prometheus
need_pkg redis-server redis-server

echo "== starting PostgreSQL"
start_postgres "$work/pg"
export TWEETS_TEST_POSTGRES_URL=$PG_URL
echo "   $PG_URL"

echo "== lint"
bash scripts/lint.sh

echo "== go test"
go test -count=1 -timeout 20m "$@" ./...
