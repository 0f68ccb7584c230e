#!/usr/bin/env bash
# Compose files: policy checks (deploy/compose/check_compose.py: health
# checks, declared volumes/networks/secrets, no secret in clear text, pinned
# images, ...) and the parsers of both Compose generations:
# docker-compose 1.29 (Debian) and docker compose v2 (built once from the Go
# module proxy, cached), `config -q` for every combination of files/profiles.
set -euo pipefail
# shellcheck source=scripts/validate/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

ensure_python_yaml
combos=("compose.yaml" "compose.yaml compose.dev.yaml" "compose.yaml compose.debug.yaml")

for combo in "${combos[@]}"; do
	# shellcheck disable=SC2086 # combo is a list of file names
	"$DEBIAN_PYTHON" deploy/compose/check_compose.py $combo
done

# The checker must catch what it claims to: a file with one defect per rule.
bad="$(mktemp -d)"
trap 'rm -rf "$bad"' EXIT
cat >"$bad/compose.yaml" <<'YAML'
services:
  app:
    image: example/app:latest
    environment:
      DB_PASSWORD: hunter2
      API_TOKEN: ${API_TOKEN:-abc}
    volumes:
      - undeclared:/data
    ports:
      - "5432:5432"
    networks: [nowhere]
    depends_on:
      db:
        condition: service_healthy
  db:
    image: postgres:15
    networks: [private]
networks:
  private: {}
YAML
echo 'API_TOKEN=' >"$bad/.env.example"
if "$DEBIAN_PYTHON" deploy/compose/check_compose.py --root "$bad" compose.yaml 2>"$bad/out"; then
	die "check_compose.py accepted a broken file"
fi
for want in "DB_PASSWORD looks like a secret" "API_TOKEN looks like a secret" "latest tag" \
	"published on every interface" "service app: has no healthcheck" "undeclared network nowhere" \
	"undeclared volume undeclared" "waits for db to be healthy but it has no healthcheck"; do
	grep -q "$want" "$bad/out" || { cat "$bad/out" >&2; die "check_compose.py missed: $want"; }
done
log "check_compose.py catches each defect of a broken file"

# config_q LABEL CMD...: run `CMD -f ... [--profile monitoring] config -q` for
# every combination, with .env.example standing in for .env.
config_q() {
	local label="$1"
	shift
	local combo profile args f
	for combo in "${combos[@]}"; do
		for profile in "" monitoring logging s3; do
			args=()
			for f in $combo; do args+=(-f "$f"); done
			[ -z "$profile" ] || args+=(--profile "$profile")
			log "$label ${args[*]} config -q"
			"$@" --env-file .env.example "${args[@]}" config -q
		done
	done
}

ensure_apt docker-compose docker-compose
config_q "docker-compose $(docker-compose version --short 2>/dev/null)" docker-compose

if [ "${TWEETS_VALIDATE_SKIP_COMPOSE_V2:-0}" = 1 ]; then
	not_checked "docker compose v2 parsing (TWEETS_VALIDATE_SKIP_COMPOSE_V2=1)"
else
	go_build_scratch docker-compose-v2 github.com/docker/compose/v2/cmd "github.com/docker/compose/v2 $COMPOSE_V2_VERSION"
	config_q "docker compose $COMPOSE_V2_VERSION" "$TOOLS_BIN/docker-compose-v2"
fi

# The files the stack reads must never be committed by accident.
for p in .env secrets/tweets_secret_key.txt; do
	if git rev-parse --git-dir >/dev/null 2>&1 && ! git check-ignore -q "$p"; then
		warn "$p is not git-ignored: add /.env and /secrets/ to .gitignore"
	fi
done

not_checked "compose up (no Docker engine can pull images offline): health checks, secrets file permissions and the nginx entrypoint run only on a real host."
log "compose: OK"
