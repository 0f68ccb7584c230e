#!/usr/bin/env bash
# Prometheus configuration and alerting rules (deploy/monitoring/):
#   promtool check config prometheus.yml (which also checks the rule files)
#   promtool check rules rules/*.yml
#   promtool test rules tests/*.yml
#   check_monitoring.py rules: every alert has severity, summary,
#     description and a runbook_url whose anchor exists in docs/runbook.md,
#     at least one test that expects it to fire, and only uses application
#     metrics listed in metrics.txt.
set -euo pipefail
# shellcheck source=scripts/validate/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_apt promtool prometheus
ensure_python_yaml
cd "$REPO_ROOT"
mon=deploy/monitoring

log "promtool $(promtool --version 2>&1 | head -n1 | awk '{print $3}'): check config"
promtool check config "$mon/prometheus.yml"

log "promtool check rules"
promtool check rules "$mon"/rules/*.yml

log "promtool test rules"
promtool test rules "$mon"/tests/*.yml

log "alert policy (annotations, runbook anchors, test coverage, metric names)"
"$DEBIAN_PYTHON" "$mon/check_monitoring.py" rules

not_checked "that the application really exports the metrics of $mon/metrics.txt with these labels (the application's own tests must)."
log "promtool: OK"
