#!/usr/bin/env bash
# Prometheus configuration and alerting rules (deploy/monitoring/):
#   promtool check config prometheus.yml (which also checks the rule files)
#   promtool check rules rules/*.yml
#   promtool test rules tests/*.yml
#   check_monitoring.py rules: every alert has severity, summary,
#     description and a runbook_url whose anchor exists in docs/runbook.md,
#     at least one test that expects it to fire, a place in the quiet healthy
#     site test, and only uses application metrics listed in metrics.txt;
#   the backup job's textfile metric (textfile/tweets-backup-metric.sh),
#     written into a temp dir and parsed by promtool check metrics;
#   blackbox.yml: checked by blackbox_exporter, then probe_test.py probes
#     HTTPS on 127.0.0.1 through it (the certificate's expiry is reported,
#     a self-signed one refused, plain HTTP failed).
set -euo pipefail
# shellcheck source=scripts/validate/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_apt promtool prometheus
ensure_python_yaml
cd "$REPO_ROOT"
mon=deploy/monitoring

log "promtool $(promtool --version 2>&1 | head -n1 | awk '{print $3}'): check config"
promtool check config "$mon/prometheus.yml"

# A file of scrape_configs alone is a whole configuration too. Debian's
# promtool is built without Kubernetes discovery: its block is swapped for a
# static target, so that the relabelling is still checked.
log "promtool check config: the Kubernetes scrape job (kubernetes-scrape.yml)"
k8s_cfg="$(mktemp -d)"
trap 'rm -rf "$k8s_cfg"' EXIT
if promtool check config "$mon/kubernetes-scrape.yml" >"$k8s_cfg/out" 2>&1; then
	cat "$k8s_cfg/out"
elif grep -q 'kubernetes_sd_configs not found' "$k8s_cfg/out"; then
	"$DEBIAN_PYTHON" - "$mon/kubernetes-scrape.yml" >"$k8s_cfg/prometheus.yml" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
for job in doc["scrape_configs"]:
    if job.pop("kubernetes_sd_configs", None) is not None:
        job["static_configs"] = [{"targets": ["10.0.0.1:9000"]}]
yaml.safe_dump(doc, sys.stdout)
PY
	promtool check config "$k8s_cfg/prometheus.yml"
	not_checked "kubernetes_sd_configs of kubernetes-scrape.yml: this promtool has no Kubernetes discovery (the relabelling was checked)"
else
	cat "$k8s_cfg/out" >&2
	die "kubernetes-scrape.yml is not a valid scrape configuration"
fi
grep -q 'job_name: tweets$' "$mon/kubernetes-scrape.yml" ||
	die "kubernetes-scrape.yml must name its job tweets: the rules select job=\"tweets\""

log "promtool check rules"
promtool check rules "$mon"/rules/*.yml

log "promtool test rules"
promtool test rules "$mon"/tests/*.yml

log "alert policy (annotations, runbook anchors, test coverage, metric names)"
"$DEBIAN_PYTHON" "$mon/check_monitoring.py" rules

log "textfile metric of the backup job"
textfile="$k8s_cfg/textfile"
mkdir "$textfile"
sh "$mon/textfile/tweets-backup-metric.sh" "$textfile"
promtool check metrics <"$textfile/tweets_backup.prom"
grep -Eq '^tweets_backup_last_success_timestamp_seconds [0-9]{10}$' "$textfile/tweets_backup.prom" ||
	die "tweets-backup-metric.sh wrote no timestamp"

ensure_apt prometheus-blackbox-exporter prometheus-blackbox-exporter
log "blackbox_exporter: blackbox.yml, and a probe of HTTPS on 127.0.0.1"
prometheus-blackbox-exporter --config.file="$mon/blackbox.yml" --config.check >/dev/null 2>&1 ||
	die "blackbox_exporter refuses $mon/blackbox.yml"
"$DEBIAN_PYTHON" "$mon/probe_test.py" >"$textfile/probe.log" 2>&1 || {
	cat "$textfile/probe.log" >&2
	die "probe test failed"
}
grep -c '^ok ' "$textfile/probe.log" | sed 's/^/    checks passed: /' >&2

not_checked "that the application really exports the metrics of $mon/metrics.txt with these labels (the application's own tests must)."
log "promtool: OK"
