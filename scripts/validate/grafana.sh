#!/usr/bin/env bash
# Grafana dashboards and provisioning (deploy/monitoring/grafana/):
# check_monitoring.py dashboards checks each dashboard's JSON (uids, panel ids,
# grid, provisioned data sources, known metric names) and writes every query
# as a recording rule, which `promtool check rules` parses: so every PromQL
# expression of the dashboards is syntax-checked by Prometheus' own parser.
set -euo pipefail
# shellcheck source=scripts/validate/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_apt promtool prometheus
ensure_python_yaml
cd "$REPO_ROOT"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

log "dashboards"
"$DEBIAN_PYTHON" deploy/monitoring/check_monitoring.py dashboards "$work/queries.yml"
log "promtool check rules (the dashboards' queries)"
promtool check rules "$work/queries.yml" >/dev/null

log "provisioning files are valid YAML"
"$DEBIAN_PYTHON" - deploy/monitoring/grafana/provisioning/*/*.yml <<'PY'
import sys, yaml
for p in sys.argv[1:]:
    doc = yaml.safe_load(open(p))
    assert doc.get("apiVersion") == 1, p + ": apiVersion must be 1"
    assert doc.get("datasources") or doc.get("providers"), p + ": no datasources or providers"
PY

not_checked "rendering in Grafana itself (Grafana is not packaged in Debian)."
log "grafana: OK"
