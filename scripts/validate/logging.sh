#!/usr/bin/env bash
# Log aggregation (deploy/logging/: Loki and Alloy for the "logging" Compose
# profile; deploy/k8s/components/logging/ for Kubernetes, whose manifests
# kustomize.sh checks):
#   1. alloy.alloy and the component's config.alloy parsed by Alloy's own parser (github.com/grafana/alloy/syntax,
#      Apache-2.0, built once into the tools cache), with a broken copy that
#      must be refused;
#   2. the pipeline names every field of the application's request log line
#      (request_id, route, status) and keeps per-request fields out of labels;
#   3. the Grafana data source and the Compose services that use these files.
# The full Alloy binary (component arguments) and Loki (AGPL, never a Go
# dependency here) are too large to build offline: not checked.
set -euo pipefail
# shellcheck source=scripts/validate/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
ensure_python_yaml

ALLOY_SYNTAX_VERSION="${ALLOY_SYNTAX_VERSION:-v0.1.0}"
tool="$TOOLS_BIN/alloy-syntax"
stamp="$TOOLS_BIN/.alloy-syntax.version"
if [ ! -x "$tool" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$ALLOY_SYNTAX_VERSION" ]; then
	dir="$TOOLS_CACHE/src/alloy-syntax"
	rm -rf "$dir"
	mkdir -p "$dir"
	printf 'module tweets.local/tools/alloy-syntax\n\ngo 1.26\n\nrequire github.com/grafana/alloy/syntax %s\n' \
		"$ALLOY_SYNTAX_VERSION" >"$dir/go.mod"
	cat >"$dir/main.go" <<'GO'
// alloy-syntax parses Alloy configuration files with Alloy's own parser.
package main

import (
	"fmt"
	"os"

	"github.com/grafana/alloy/syntax/parser"
)

func main() {
	failed := false
	for _, path := range os.Args[1:] {
		b, err := os.ReadFile(path)
		if err == nil {
			_, err = parser.ParseFile(path, b)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			failed = true
			continue
		}
		fmt.Println(path + ": syntax OK")
	}
	if failed {
		os.Exit(1)
	}
}
GO
	log "building alloy-syntax from github.com/grafana/alloy/syntax $ALLOY_SYNTAX_VERSION (once)"
	(cd "$dir" && GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0 nice -n 10 go build -o "$tool.tmp" .)
	mv "$tool.tmp" "$tool"
	echo "$ALLOY_SYNTAX_VERSION" >"$stamp"
fi

k8s=deploy/k8s/components/logging
log "alloy.alloy, $k8s/config.alloy: Alloy's parser"
"$tool" deploy/logging/alloy.alloy "$k8s/config.alloy"
log "one Loki configuration: $k8s/loki.yaml is deploy/logging/loki.yaml below its header"
diff <(sed -n '/^auth_enabled:/,$p' deploy/logging/loki.yaml) <(sed -n '/^auth_enabled:/,$p' "$k8s/loki.yaml") ||
	die "$k8s/loki.yaml differs from deploy/logging/loki.yaml: change both"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed '0,/^}/s/^}//' deploy/logging/alloy.alloy >"$work/broken.alloy"
if "$tool" "$work/broken.alloy" >/dev/null 2>&1; then
	die "alloy-syntax accepted a file with a missing brace"
fi

log "the application's fields, and labels kept few"
for cfg in deploy/logging/alloy.alloy "$k8s/config.alloy"; do
	for field in request_id route status user_id; do
		grep -Eq "^\s+$field\s+= \"$field\"," "$cfg" || die "$cfg does not parse $field"
	done
	labels="$(sed -n '/stage.labels {/,/}/p' "$cfg")"
	for field in request_id route status user_id; do
		if grep -q "$field" <<<"$labels"; then
			die "$cfg makes $field a label (one stream per value): use structured metadata"
		fi
	done
done

log "Grafana data source and Compose services"
"$DEBIAN_PYTHON" - <<'PY'
import sys, yaml
ds = yaml.safe_load(open("deploy/monitoring/grafana/provisioning/datasources/datasources.yml"))
loki = [d for d in ds["datasources"] if d.get("type") == "loki"]
if not loki or loki[0].get("url") != "http://loki:3100":
    sys.exit("no Loki data source at http://loki:3100")
compose = yaml.safe_load(open("compose.yaml"))["services"]
for name in ("loki", "alloy"):
    if compose.get(name, {}).get("profiles") != ["logging"]:
        sys.exit("compose.yaml: %s must be in the logging profile" % name)
mounts = " ".join(compose["alloy"]["volumes"] + compose["loki"]["volumes"])
for f in ("./deploy/logging/alloy.alloy:", "./deploy/logging/loki.yaml:"):
    if f not in mounts:
        sys.exit("compose.yaml does not mount " + f.rstrip(":"))
if "http://loki:3100/loki/api/v1/push" not in open("deploy/logging/alloy.alloy").read():
    sys.exit("alloy.alloy does not push to the loki service")
print("data source and services agree")
PY

not_checked "Alloy's component arguments and Loki's configuration (their binaries are not built offline; Loki is AGPL): only syntax, YAML and the wiring are checked."
log "logging: OK"
