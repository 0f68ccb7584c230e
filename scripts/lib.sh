#!/usr/bin/env bash
# Shared helpers for the test and benchmark scripts: install missing
# Debian packages, start throwaway servers on loopback, stop them on exit.
# Source it; do not run it.

# need_pkg BINARY PACKAGE...: installs PACKAGE from Debian when BINARY is
# missing (as root only; otherwise says what to install and fails).
need_pkg() {
	local bin=$1
	shift
	if command -v "$bin" >/dev/null 2>&1 || [ -x "$bin" ]; then
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing $bin: install the Debian package(s) $* and run again" >&2
		return 1
	fi
	echo "installing $* ..." >&2
	if [ -z "${APT_UPDATED:-}" ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
		APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# free_port: prints a TCP port that nothing listens on right now.
free_port() {
	local port
	for _ in $(seq 1 50); do
		port=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	echo "no free port found" >&2
	return 1
}

# pg_bindir: prints the directory of the newest installed PostgreSQL.
pg_bindir() {
	find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1
}

# start_postgres DIR: starts a throwaway PostgreSQL with its files in DIR,
# listening on 127.0.0.1 only, and sets PG_URL and PG_PORT. As root, the
# server runs as the postgres user, since initdb refuses root. Tests run
# it without fsync; PG_DURABLE=1 keeps PostgreSQL's durable defaults
# (benchmarks of writes).
start_postgres() {
	local dir=$1 bin run=() durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "${PG_DURABLE:-}" = 1 ] && durability=""
	if [ -z "$(pg_bindir)" ]; then
		need_pkg /usr/lib/postgresql/15/bin/postgres postgresql
	fi
	bin=$(pg_bindir)
	mkdir -p "$dir"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres "$dir"
		run=(runuser -u postgres --)
	fi
	"${run[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; return 1; }
	PG_PORT=$(free_port)
	"${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
		-o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir $durability -c max_connections=200" >/dev/null ||
		{ cat "$dir/server.log" >&2; return 1; }
	PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
	PG_DIR=$dir
	PG_BIN=$bin
	PG_RUN=("${run[@]}")
	export PG_URL PG_PORT
}

# stop_postgres: stops the server that start_postgres started.
stop_postgres() {
	if [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
		"${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
}

# SeaweedFS, the S3 server the tests of the s3 media store use (MinIO's
# server is not available here). Built once from the Go module proxy into
# the tools cache that scripts/validate/ uses, with a version stamp; the
# first build takes several minutes.
WEED_MODULE=github.com/seaweedfs/seaweedfs
WEED_VERSION=v0.0.0-20261109003541-7506e5f91cd6
WEED_PACKAGE=$WEED_MODULE/weed

# ensure_weed: builds weed when the cached one is missing or of another
# version, and sets WEED to its path.
ensure_weed() {
	local cache="${TWEETS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tweets-tools}"
	local bin="$cache/bin" spec="$WEED_PACKAGE $WEED_MODULE $WEED_VERSION "
	WEED="$bin/weed"
	if [ -x "$WEED" ] && [ "$(cat "$bin/.weed.version" 2>/dev/null)" = "$spec" ]; then
		return 0
	fi
	local dir="$cache/src/weed"
	rm -rf "$dir"
	mkdir -p "$dir" "$bin"
	printf 'module tweets.local/tools/weed\n\ngo 1.26\n\nrequire %s %s\n' "$WEED_MODULE" "$WEED_VERSION" >"$dir/go.mod"
	echo "building SeaweedFS (weed) for the S3 tests: once, cached in $bin; the first build takes several minutes ..." >&2
	(cd "$dir" && GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0 nice -n 10 go build -trimpath -o "$WEED.tmp" "$WEED_PACKAGE") || return 1
	mv "$WEED.tmp" "$WEED"
	echo "$spec" >"$bin/.weed.version"
}

# start_s3 DIR: starts a throwaway SeaweedFS (master, volume, filer and S3
# gateway) with its files in DIR, listening on 127.0.0.1 only, with one
# identity allowed everything, and sets S3_URL to
# http://ACCESS_KEY:SECRET_KEY@127.0.0.1:PORT once the gateway answers.
start_s3() {
	local dir=$1 access=tweets-test secret
	ensure_weed || return 1
	mkdir -p "$dir/data"
	secret=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
	cat >"$dir/s3.json" <<JSON
{"identities": [{"name": "tweets-test",
  "credentials": [{"accessKey": "$access", "secretKey": "$secret"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
	# Each service also listens on its port + 10000 for gRPC, so the
	# ports are picked below 55535 and checked with that neighbour free.
	local master volume filer s3port p
	for p in master volume filer s3port; do
		local port="" try
		for try in $(seq 1 50); do
			port=$(free_port) || return 1
			if [ "$port" -lt 55535 ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$((port + 10000))") 2>/dev/null; then
				break
			fi
			port=""
		done
		[ -n "$port" ] || { echo "no free port pair for SeaweedFS after $try tries" >&2; return 1; }
		printf -v "$p" '%s' "$port"
	done
	"$WEED" server -dir="$dir/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
		-master.port="$master" -volume.port="$volume" -filer.port="$filer" \
		-master.volumeSizeLimitMB=64 -volume.max=0 \
		-s3 -s3.port="$s3port" -s3.config="$dir/s3.json" >"$dir/weed.log" 2>&1 &
	S3_PID=$!
	S3_URL="http://$access:$secret@127.0.0.1:$s3port"
	# /healthz answers 200 once master, volume and filer are up.
	for _ in $(seq 1 300); do
		if ! kill -0 "$S3_PID" 2>/dev/null; then
			tail -n 30 "$dir/weed.log" >&2
			echo "SeaweedFS exited at start (log above, in $dir/weed.log)" >&2
			return 1
		fi
		if curl -fs -o /dev/null "http://127.0.0.1:$s3port/healthz" 2>/dev/null; then
			export S3_URL S3_PID
			return 0
		fi
		sleep 0.2
	done
	tail -n 30 "$dir/weed.log" >&2
	echo "SeaweedFS's S3 gateway did not answer on 127.0.0.1:$s3port within 60 s (log above)" >&2
	stop_s3
	return 1
}

# stop_s3: stops the server that start_s3 started, by its PID.
stop_s3() {
	if [ -n "${S3_PID:-}" ] && kill -0 "$S3_PID" 2>/dev/null; then
		kill "$S3_PID" 2>/dev/null || true
		# An exited child stays a zombie (and answers kill -0) until
		# waited for: watch its state instead.
		for _ in $(seq 1 50); do
			case "$(ps -o stat= -p "$S3_PID" 2>/dev/null)" in
			'' | Z*) break ;;
			esac
			sleep 0.1
		done
		kill -9 "$S3_PID" 2>/dev/null || true
		wait "$S3_PID" 2>/dev/null || true
	fi
	S3_PID=
}

# ensure_masto: installs masto.js (api/testdata/masto/package.json) from
# npm into the tools cache once, again only when package.json changes,
# and sets MASTO_DIR.
ensure_masto() {
	local repo dir
	repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	dir="${TWEETS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tweets-tools}/masto"
	command -v node >/dev/null 2>&1 || need_pkg node nodejs npm || return 1
	mkdir -p "$dir"
	if ! cmp -s "$repo/api/testdata/masto/package.json" "$dir/package.json" || [ ! -d "$dir/node_modules/masto" ]; then
		echo "installing masto.js from npm into $dir ..." >&2
		cp "$repo/api/testdata/masto/package.json" "$dir/package.json"
		(cd "$dir" && npm install --no-audit --no-fund --loglevel=error >/dev/null) || return 1
	fi
	MASTO_DIR=$dir
	export MASTO_DIR
}
