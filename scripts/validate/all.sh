#!/usr/bin/env bash
# Runs every validator of the deployment kit, times each, and exits non-zero
# if any failed. Offline-safe; as root on a fresh Debian machine it installs
# the Debian packages it needs and builds the pinned Go tools once into
# ${TWEETS_TOOLS_CACHE:-~/.cache/tweets-tools}.
#
#   scripts/validate/all.sh              every validator
#   scripts/validate/all.sh nginx compose   only these
#
# TWEETS_VALIDATE_SKIP_COMPOSE_V2=1 skips building docker compose v2 (~2 min).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Order: cheap checks first; terraform before nginx (nginx.sh reuses the
# provider that terraform.sh builds to render Terraform's nginx.conf).
all=(shellcheck yamllint precommit promtool amtool grafana logging terraform nginx compose dockerfile kustomize actionlint systemd)
if [ "$#" -gt 0 ]; then
	selected=("$@")
else
	selected=("${all[@]}")
fi

declare -a results=()
failed=0
start_all=$SECONDS
for name in "${selected[@]}"; do
	script="$here/$name.sh"
	[ -f "$script" ] || { echo "unknown validator: $name (one of: ${all[*]})" >&2; exit 2; }
	printf '\n######## %s\n' "$name" >&2
	start=$SECONDS
	if bash "$script"; then
		status=ok
	else
		status=FAILED
		failed=$((failed + 1))
	fi
	results+=("$(printf '%-12s %6ss  %s' "$name" "$((SECONDS - start))" "$status")")
done

printf '\n######## summary (%ss in all)\n' "$((SECONDS - start_all))" >&2
printf '%s\n' "${results[@]}" >&2
echo "validators: $((${#selected[@]} - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
