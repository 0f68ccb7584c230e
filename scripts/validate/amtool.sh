#!/usr/bin/env bash
# Alertmanager configuration: amtool check-config, and a routing test: which
# receiver each severity reaches (amtool config routes test).
set -euo pipefail
# shellcheck source=scripts/validate/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_apt amtool prometheus-alertmanager
cd "$REPO_ROOT"
cfg=deploy/monitoring/alertmanager.yml

log "amtool $(amtool --version 2>&1 | head -n1 | awk '{print $3}'): check-config"
amtool check-config "$cfg"

# expect_route LABELS... RECEIVER
expect_route() {
	local want="${*: -1}"
	local got
	got="$(amtool config routes test --config.file="$cfg" "${@:1:$#-1}")"
	[ "$got" = "$want" ] || die "alert {${*:1:$#-1}} routes to '$got', expected '$want'"
	log "  {${*:1:$#-1}} -> $got"
}
log "routing"
expect_route alertname=TweetsDown severity=critical oncall
expect_route alertname=TweetsHighLatency severity=warning team
expect_route alertname=Unknown team

not_checked "delivery to Slack (needs the webhook secret and the network)."
log "amtool: OK"
