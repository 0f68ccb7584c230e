#!/usr/bin/env bash
# systemd units of the single-binary install (deploy/systemd/):
# systemd-analyze verify on copies whose /usr/local/bin/tweets points at a
# stand-in executable (the real binary is not built here), with the
# environment file and credentials they name created in a temp dir.
set -euo pipefail
# shellcheck source=scripts/validate/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_apt systemd-analyze systemd
cd "$REPO_ROOT"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/units" "$work/etc"
printf '#!/bin/sh\nexit 0\n' >"$work/tweets"
chmod +x "$work/tweets"
cp deploy/systemd/tweets.env.example "$work/etc/tweets.env"
: >"$work/etc/secret_key"
for unit in deploy/systemd/*.service deploy/systemd/*.timer; do
	sed -e "s#/usr/local/bin/tweets#$work/tweets#g" -e "s#/etc/tweets/#$work/etc/#g" \
		"$unit" >"$work/units/$(basename "$unit")"
done

log "systemd-analyze verify ($(systemd-analyze --version | head -n1))"
# verify prints problems but exits 0 for some of them: fail on any output
# except the lines about this machine's own units (no systemd runs here).
out="$(cd "$work/units" && { SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=no ./*.service ./*.timer 2>&1 || true; })"
problems="$(printf '%s\n' "$out" | grep -v -e '^$' -e 'multi-user.target' -e 'timers.target' \
	-e 'network-online.target' -e 'postgresql.service' -e 'redis-server.service' -e 'sysinit.target' \
	-e 'Failed to connect to' -e 'Cannot add dependency job' -e 'Ignoring' -e 'System has not been booted' || true)"
if [ -n "$problems" ]; then
	printf '%s\n' "$problems" >&2
	die "systemd units have problems"
fi
log "systemd: OK"
