#!/usr/bin/env bash
# Alertmanager configuration: amtool check-config, a routing test (which
# receiver each severity reaches: amtool config routes test), and the
# inhibit rules with the real Alertmanager on loopback (inhibit_test.py).
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
expect_route alertname=Watchdog severity=none deadmansswitch

log "inhibition: Alertmanager on 127.0.0.1, alerts posted, inhibited ones checked"
python3 deploy/monitoring/inhibit_test.py >"$TOOLS_CACHE/inhibit.log" 2>&1 || {
	cat "$TOOLS_CACHE/inhibit.log" >&2
	die "inhibition test failed"
}
grep -c '^ok ' "$TOOLS_CACHE/inhibit.log" | sed 's/^/    checks passed: /' >&2

not_checked "delivery to Slack (needs the webhook secret and the network)."
log "amtool: OK"
