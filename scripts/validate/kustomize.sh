#!/usr/bin/env bash
# Kubernetes manifests (deploy/k8s/): the Go program in deploy/k8s/validate
# (its own module: the application's module gets no Kubernetes dependency)
# builds base, both overlays and the dev overlay with the opt-in logging
# component (testdata/dev-logging) with the kustomize library, decodes every
# object strictly into k8s.io/api types and checks the policies (probes,
# resources, security contexts, selectors, references, no Secret in git);
# its unit tests prove that each policy catches its defect.
set -euo pipefail
# shellcheck source=scripts/validate/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v go >/dev/null 2>&1 || die "go is needed"
mod="deploy/k8s/validate"

log "go vet + go test ($mod)"
# A clean vet and test is remembered by the hash of the module's sources
# (as lint.sh remembers gosec's): a rerun on unchanged code skips them.
stamp="$TOOLS_CACHE/k8s-validate-tested.$(go_module_hash "$mod")"
if [ -f "$stamp" ]; then
	log "unchanged since they passed: $(basename "$stamp")"
else
	(cd "$REPO_ROOT/$mod" && GOWORK=off GOFLAGS=-mod=readonly nice -n 10 go vet . && GOWORK=off GOFLAGS=-mod=readonly nice -n 10 go test -count=1 .)
	touch "$stamp"
fi

log "kustomize build + strict decode + policies: base, overlays/dev, overlays/prod, dev with components/logging"
run_go_module "$mod" -secret-template ../secret.example.yaml ../base ../overlays/dev ../overlays/prod testdata/dev-logging

not_checked "server-side validation and admission (no cluster offline): ingress-nginx annotations, the storage class for ReadWriteMany, cert-manager, Pod Security admission itself; CRDs such as ServiceMonitor are deliberately not used."
log "kustomize: OK"
