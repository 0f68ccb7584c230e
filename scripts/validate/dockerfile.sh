#!/usr/bin/env bash
# Dockerfile and .dockerignore: deploy/docker/check (its own Go module) runs
# BuildKit's Dockerfile linter over every stage, the checks of
# `docker build --check`, offline (base images are not pulled), then the
# image policy: tagged base images, no ADD of URLs, non-root USER, exec-form
# HEALTHCHECK and ENTRYPOINT, OCI labels, volumes only under /data, and a
# .dockerignore that keeps .git, .env, secrets/ and Terraform state out.
set -euo pipefail
# shellcheck source=scripts/validate/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v go >/dev/null 2>&1 || die "go is needed"
log "BuildKit lint + image policy (deploy/docker/check)"
run_go_module deploy/docker/check "$REPO_ROOT/Dockerfile" "$REPO_ROOT/.dockerignore"

not_checked "a build from the golang and distroless images (no registry offline; CI builds them in .github/workflows/ci.yml). scripts/engine-test.sh builds this Dockerfile with a prebuilt binary on scratch and runs the image."
log "dockerfile: OK"
