#!/usr/bin/env bash
# Runs shellcheck on every shell script of the repository (by extension or
# shebang, tracked or new, not git-ignored), following sourced files.
set -euo pipefail
# shellcheck source=scripts/validate/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_apt shellcheck shellcheck
cd "$REPO_ROOT"

mapfile -t scripts < <(shell_scripts | sort)
[ "${#scripts[@]}" -gt 0 ] || die "no shell script found"
log "shellcheck $(shellcheck --version | sed -n 's/^version: //p') on ${#scripts[@]} scripts"
printf '    %s\n' "${scripts[@]}" >&2
shellcheck -x "${scripts[@]}"
log "shellcheck: OK"
