#!/usr/bin/env bash
# .pre-commit-config.yaml: pre-commit's own schema check (validate-config),
# and every local hook's entry script exists.
set -euo pipefail
# shellcheck source=scripts/validate/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_apt pre-commit pre-commit
cd "$REPO_ROOT"
log "pre-commit $(pre-commit --version | awk '{print $2}') validate-config"
pre-commit validate-config .pre-commit-config.yaml
while IFS= read -r script; do
	[ -f "$script" ] || die ".pre-commit-config.yaml runs missing $script"
done < <(grep -oE 'scripts/validate/[a-z]+\.sh' .pre-commit-config.yaml | sort -u)
not_checked "running the hooks through pre-commit (it would clone pre-commit-hooks from GitHub); the local hooks are the validators run by all.sh."
log "pre-commit: OK"
