#!/usr/bin/env bash
# Runs the load and fault scenarios of deploy/faulttest (docs/reliability.md)
# in their long version: each scenario's load lasts
# TWEETS_RELIABILITY_DURATION (default 60s) instead of the 3 s of the test
# command. Starts what the scenarios need on loopback, as scripts/test.sh
# does (PostgreSQL, SeaweedFS for S3; redis-server and nginx from Debian
# packages when missing), then prints a summary of every scenario's figures
# and writes it to bin/reliability.txt (TWEETS_RELIABILITY_OUT names another
# file), the whole go test log beside it (bin/reliability.log).
#
# TWEETS_TEST_POSTGRES_URL and TWEETS_TEST_S3_URL name servers to use
# instead of starting them; extra arguments go to go test (say,
# -run TestKill9 for one scenario).
#
# Runs as root: the disk-full and read-only scenarios mount a small tmpfs.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

export TWEETS_RELIABILITY_DURATION=${TWEETS_RELIABILITY_DURATION:-60s}
out=${TWEETS_RELIABILITY_OUT:-bin/reliability.txt}

work=$(mktemp -d /tmp/tweets-reliability.XXXXXX)
chmod 755 "$work"
cleanup() {
	stop_s3
	stop_postgres
	rm -rf "$work"
}
trap cleanup EXIT

echo "== tools the scenarios use"
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
if [ -z "${TWEETS_TEST_S3_URL:-}" ]; then
	echo "== starting SeaweedFS (S3)"
	start_s3 "$work/s3"
	export TWEETS_TEST_S3_URL=$S3_URL
fi

echo "== scenarios, $TWEETS_RELIABILITY_DURATION of load each"
start=$SECONDS
status=0
go test -count=1 -timeout 90m -v "$@" ./deploy/faulttest 2>&1 | tee "$work/log" |
	grep --line-buffered -E '^(=== RUN|--- |    --- |ok|FAIL|PASS)|^ +[a-z0-9_]+_test\.go:[0-9]+: ' || true
grep -q '^ok' "$work/log" || status=1
mkdir -p "$(dirname "$out")"
cp "$work/log" "${out%.txt}.log"

{
	echo "# make reliability, $(date -u +%Y-%m-%dT%H:%MZ), $TWEETS_RELIABILITY_DURATION of load per scenario, $((SECONDS - start)) s in all ($(git describe --tags --always --dirty 2>/dev/null || echo dev))"
	printf '%-18s %-9s %9s %7s %7s %12s %7s %6s %11s %9s %s\n' \
		scenario db requests errors faults fault_errors acked lost duplicated orphaned extra
	# One FIGURES line per scenario and database: key=value pairs.
	sed -n 's/.*FIGURES //p' "$work/log" | awk '{
		delete f; extra = ""
		for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
		for (k in f) if (k !~ /^(scenario|db|requests|errors|faults|fault_errors|acked_posts|lost|duplicated|media_orphaned)$/) extra = extra " " k "=" f[k]
		printf "%-18s %-9s %9s %7s %7s %12s %7s %6s %11s %9s%s\n", f["scenario"], f["db"], f["requests"], f["errors"], f["faults"],
			f["fault_errors"], f["acked_posts"], f["lost"], f["duplicated"], (f["media_orphaned"] == "" ? "-" : f["media_orphaned"]), extra
	}'
	if [ "$status" = 0 ]; then echo "result: PASS"; else echo "result: FAIL (the whole log: ${out%.txt}.log)"; fi
} >"$out"
echo
cat "$out"
echo "(written to $out)"
[ "$status" = 0 ]
