#!/usr/bin/env bash
# Benchmarks, printed as figures to compare side by side in one run:
#  1. Go benchmarks of the store (each database), of the timeline page
#     beside a fixed response of the same size, and of image processing
#     (milliseconds and MiB allocated per megapixel);
#  2. wrk against the real binary on SQLite: GET / (the timeline, 20
#     tweets) beside GET /healthz (the cheapest response), as a ratio.
# Machines differ and are noisy: read ratios, not absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

work=$(mktemp -d /tmp/tweets-bench.XXXXXX)
chmod 755 "$work"
server_pid=
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	stop_postgres
	rm -rf "$work"
}
trap cleanup EXIT

need_pkg wrk wrk
start_postgres "$work/pg"
export TWEETS_TEST_POSTGRES_URL=$PG_URL

echo "== Go benchmarks"
go test -run '^$' -bench . -benchmem -benchtime "${BENCHTIME:-2s}" ./sqlstore ./web ./media

echo "== HTTP: the real binary on SQLite, wrk with 2 threads and 16 connections"
go build -o "$work/tweets" ./cmd/tweets
port=$(free_port)
TWEETS_DATA_DIR=$work/data TWEETS_LOG_LEVEL=error "$work/tweets" serve --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
	curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
	sleep 0.1
done
# 20 tweets from the demo account, posted through the form like a browser.
jar=$work/cookies
curl -fsS -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" -o "$work/login.html"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$work/login.html" | head -n 1)
curl -fsS -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" -d username=demo -d password=demo12345 "http://127.0.0.1:$port/login"
for i in $(seq 1 20); do
	curl -fsS -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "text=Benchmark tweet number $i, with some words in it." "http://127.0.0.1:$port/tweets"
done

run_wrk() {
	wrk -t2 -c16 -d"${WRK_DURATION:-5s}" "http://127.0.0.1:$port$1" | awk '/Requests\/sec/ {print $2}'
}
page=$(run_wrk /)
health=$(run_wrk /healthz)
echo "GET /         $page requests/s"
echo "GET /healthz  $health requests/s"
awk -v p="$page" -v h="$health" 'BEGIN { printf "timeline page costs %.1fx the cheapest response\n", h / p }'
