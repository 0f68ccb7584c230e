#!/usr/bin/env bash
# GitHub Actions workflows (.github/workflows/): actionlint (pinned, built
# once with go install into the tools cache), which also runs shellcheck on
# every `run:` script.
set -euo pipefail
# shellcheck source=scripts/validate/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_apt shellcheck shellcheck
go_install actionlint "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
cd "$REPO_ROOT"

log "actionlint $ACTIONLINT_VERSION (with shellcheck $(shellcheck --version | sed -n 's/^version: //p'))"
actionlint -no-color -shellcheck="$(command -v shellcheck)" .github/workflows/*.yml

not_checked "that the actions pinned by major version (actions/checkout@v4, docker/build-push-action@v6, ...) behave as documented, the environments' secrets and protection rules (repository settings), and a real run."
log "actionlint: OK"
