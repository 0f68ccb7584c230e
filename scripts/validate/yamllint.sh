#!/usr/bin/env bash
# yamllint over every YAML file of the deployment kit (syntax, duplicate
# keys, indentation, trailing spaces), with deploy/yamllint.yml.
set -euo pipefail
# shellcheck source=scripts/validate/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_apt yamllint yamllint
cd "$REPO_ROOT"
mapfile -t files < <(
	{
		for f in compose.yaml compose.dev.yaml .pre-commit-config.yaml; do
			[ ! -e "$f" ] || echo "$f"
		done
		find .github deploy -type f \( -name '*.yml' -o -name '*.yaml' \) -not -path '*/.terraform/*'
	} | sort -u
)
log "yamllint $(yamllint --version | awk '{print $2}') on ${#files[@]} files"
yamllint -s -c deploy/yamllint.yml "${files[@]}"
log "yamllint: OK"
