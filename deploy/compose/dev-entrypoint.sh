#!/bin/sh
# Development entrypoint (Dockerfile target "dev", used by compose.dev.yaml).
#
#   tweets-dev serve [ARGS]   build, run, and rebuild + restart whenever a
#                             source file under /src changes (polling: works
#                             on every bind mount, no inotify needed)
#   tweets-dev OTHER [ARGS]   build once and run `tweets OTHER ARGS`
#                             (migrate, user create, ...)
#
# A failed build keeps the previous server running and prints the error.
set -eu

src=${TWEETS_DEV_SRC:-/src}
bin=${TWEETS_DEV_BIN:-/cache/bin/tweets}
interval=${TWEETS_DEV_POLL_SECONDS:-2}

build() {
	echo "tweets-dev: building ./cmd/tweets" >&2
	(cd "$src" && go build -o "$bin.new" ./cmd/tweets) && mv "$bin.new" "$bin"
}

# A fingerprint of everything that affects the binary.
fingerprint() {
	find "$src" \( -path "$src/.git" -o -path "$src/deploy" -o -path "$src/node_modules" \) -prune -o \
		-type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' -o -name '*.html' -o -name '*.tmpl' \
		-o -name '*.sql' -o -name '*.css' -o -name '*.js' \) -printf '%T@ %s %p\n' 2>/dev/null |
		sort | cksum
}

if [ "${1:-serve}" != "serve" ]; then
	build
	exec "$bin" "$@"
fi

pid=""
stop() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	pid=""
}
trap 'stop; exit 0' TERM INT

start() {
	"$bin" "$@" &
	pid=$!
}

# Build and (re)start whenever the fingerprint changes, including the first
# time; until the first successful build, wait for a fix.
last=""
while :; do
	now=$(fingerprint)
	if [ "$now" != "$last" ]; then
		last=$now
		if build; then
			[ -z "$pid" ] || echo "tweets-dev: source changed, restarting" >&2
			stop
			start "$@"
		else
			echo "tweets-dev: build failed; fix the code, it rebuilds on save" >&2
		fi
	fi
	sleep "$interval"
done
