#!/usr/bin/env bash
# make bench: the figures of docs/performance.md, measured side by side in
# one run on this machine.
#  1. Go benchmarks of the hot paths: store queries, page rendering
#     beside a fixed response of the same size, text parsing, ids, image
#     processing.
#  2. HTTP, on SQLite and on PostgreSQL (durable commits: fsync on): the
#     real binary on a seeded database (BENCH_USERS accounts, BENCH_TWEETS
#     tweets), measured by deploy/bench with wrk at 32 and 64
#     connections, each read beside a precomputed response of the same
#     size (the baseline); the server's memory high-water mark.
#  3. The scaling curve: the same reads at 10k, 100k and BENCH_TWEETS
#     tweets (and 10M on PostgreSQL with BENCH_10M=1), 64 connections.
# Results go to bench-results/<time>/ as Markdown (report.md) and JSON.
# Machines differ and are noisy: read the ratios to the baseline.
#
# BENCH_QUICK=1 runs a small version (2k users, 100k tweets, 3 s per
# figure, no curve) to check that the harness works.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

users=${BENCH_USERS:-10000}
tweets=${BENCH_TWEETS:-1000000}
duration=${BENCH_DURATION:-10s}
curve=(10000 100000)
if [ "${BENCH_QUICK:-}" = 1 ]; then
	users=2000 tweets=100000 duration=3s curve=()
fi

out=bench-results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
work=$(mktemp -d /tmp/tweets-bench.XXXXXX)
chmod 755 "$work"
server_pid=
cleanup() {
	stop_server
	stop_postgres
	rm -rf "$work"
}
stop_server() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill "$server_pid"
		wait "$server_pid" 2>/dev/null || true
	fi
	server_pid=
}
trap cleanup EXIT

need_pkg wrk wrk
need_pkg curl curl
PG_DURABLE=1 start_postgres "$work/pg"
pg_base=$PG_URL

echo "== building"
go build -o "$work/tweets" ./cmd/tweets
go build -o "$work/tweets-bench" ./deploy/bench

# The benchmark's own settings: no per-account limits (one address sends
# everything), logs at error only, no demo account.
bench_env=(TWEETS_API_RATE_LIMIT=0 TWEETS_POST_RATE_LIMIT=0 TWEETS_LOG_LEVEL=error TWEETS_DEMO=0)

# database NAME: prints the settings of a fresh database called NAME.
database() {
	case $1 in
	sqlite-*)
		echo "TWEETS_DATA_DIR=$work/$1"
		;;
	postgres-*)
		"${PG_RUN[@]}" "$PG_BIN/psql" -q -h "$PG_DIR" -p "$PG_PORT" -U postgres -c "CREATE DATABASE \"$1\"" >/dev/null
		echo "DATABASE_URL=${pg_base/\/postgres\?//$1?}"
		;;
	esac
}

# seed DB TWEETS: fills a fresh database with USERS accounts and TWEETS
# tweets, and prints its settings.
seed() {
	local db
	db=$(database "$1-$2")
	echo "== seeding $1 with $users accounts and $2 tweets" >&2
	env "$db" "${bench_env[@]}" "$work/tweets" seed --users "$users" --tweets "$2" >&2
	echo "$db"
}

# serve DB: starts the server on DB and waits until it is ready.
serve() {
	local port
	port=$(free_port)
	env "$1" "${bench_env[@]}" "$work/tweets" serve --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
	server_pid=$!
	for _ in $(seq 1 300); do
		curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
		kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; return 1; }
		sleep 0.1
	done
	url=http://127.0.0.1:$port
}

echo "== Go benchmarks (hot paths)"
export TWEETS_TEST_POSTGRES_URL=$pg_base
go test -run '^$' -bench . -benchmem -benchtime "${BENCHTIME:-1s}" ./sqlstore ./web ./ ./media | tee "$out/go-bench.txt"

for kind in sqlite postgres; do
	db=$(seed "$kind" "$tweets")
	serve "$db"
	echo "== HTTP on $kind ($users accounts, $tweets tweets)"
	"$work/tweets-bench" -url "$url" -pid "$server_pid" -duration "$duration" \
		-label "$kind, $users accounts, $tweets tweets" -json "$out/$kind.json" | tee -a "$out/report.md"
	stop_server
done

if [ ${#curve[@]} -gt 0 ]; then
	for kind in sqlite postgres; do
		reports=()
		sizes=("${curve[@]}")
		[ "$kind" = postgres ] && [ "${BENCH_10M:-}" = 1 ] && sizes+=(10000000)
		for n in "${sizes[@]}"; do
			db=$(seed "$kind" "$n")
			serve "$db"
			"$work/tweets-bench" -url "$url" -conns 64 -duration "$duration" -only public,home,thread,profile,deep,api-home \
				-label "$n tweets" -json "$out/$kind-curve-$n.json" >/dev/null
			stop_server
			reports+=("$out/$kind-curve-$n.json")
		done
		reports+=("$out/$kind.json") # the full run is the curve's last point
		echo -e "\n### Scaling on $kind (64 connections)" | tee -a "$out/report.md"
		"$work/tweets-bench" curve "${reports[@]}" | tee -a "$out/report.md"
	done
fi
echo
echo "report: $out/report.md"
