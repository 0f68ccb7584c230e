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
# server runs as the postgres user, since initdb refuses root.
start_postgres() {
	local dir=$1 bin run=()
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
		-o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null ||
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
