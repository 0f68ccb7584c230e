#!/usr/bin/env bash
# Runs deploy/load/locustfile.py for a few seconds against the real binary
# on SQLite (127.0.0.1, demo account), and fails unless every page of the
# scenario was requested and none failed. A check of the scenario, not a
# measurement: use `make bench` for figures, or Locust against a deployment.
#
#   deploy/load/smoke.sh            (LOAD_SMOKE_DURATION=8s by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

need_pkg locust python3-locust
work=$(mktemp -d /tmp/tweets-load.XXXXXX)
server_pid=""
cleanup() {
	if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; fi
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/tweets" ./cmd/tweets
port=$(free_port)
TWEETS_DATA_DIR=$work/data TWEETS_LOG_LEVEL=error TWEETS_DEMO=true \
	"$work/tweets" serve --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
	curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
	sleep 0.1
done

# Enough users that both classes run; posting often, so that it is exercised.
TWEETS_LOAD_POST_WEIGHT=5 locust -f deploy/load/locustfile.py --host "http://127.0.0.1:$port" \
	--headless --users 8 --spawn-rate 8 --run-time "${LOAD_SMOKE_DURATION:-8s}" \
	--csv "$work/load" --only-summary >"$work/locust.log" 2>&1 || true

python3 - "$work/load_stats.csv" <<'PY'
import csv, sys
rows = {r["Name"]: r for r in csv.DictReader(open(sys.argv[1])) if r["Name"] != "Aggregated"}
problems = []
for name in ("GET /", "GET /healthz", "GET /login", "POST /login", "GET / (logged in)"):
    if int(rows.get(name, {}).get("Request Count", 0)) == 0:
        problems.append("no request: " + name)
posts = sum(int(rows.get(n, {}).get("Request Count", 0)) for n in ("POST /tweets", "POST /tweets (rate limited)"))
if posts == 0:
    problems.append("no request: POST /tweets")
for name, r in rows.items():
    if int(r["Failure Count"]):
        problems.append("%s failures: %s" % (r["Failure Count"], name))
for name, r in sorted(rows.items()):
    print("%-28s %6s requests, %s failures, median %s ms" % (name, r["Request Count"], r["Failure Count"], r["Median Response Time"]))
if problems:
    sys.exit("load scenario: " + "; ".join(problems))
print("load scenario: OK")
PY
