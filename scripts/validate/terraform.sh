#!/usr/bin/env bash
# Terraform, offline:
#   * terraform fmt -check -recursive deploy/terraform
#   * terraform validate of every environment (and so of the modules it uses)
#   * terraform test of every module/environment that has tests/ (plans
#     against a mocked docker provider: variable validation, rendered nginx
#     configuration, secrets passed as files, ...)
#   * every *.tfvars sets only declared variables
# The kreuzwerker/docker provider is built from the Go module proxy once
# (cached outside the repository) and used through dev_overrides, so no
# registry is contacted.
set -euo pipefail
# shellcheck source=scripts/validate/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v terraform >/dev/null 2>&1 || die "terraform is not installed (it is not a Debian package); see shared/TOOLS.md"
tf_dir="$REPO_ROOT/deploy/terraform"

log "building the docker provider (cached)"
go_build_scratch terraform-provider-docker github.com/terraform-providers/terraform-provider-docker \
	"github.com/terraform-providers/terraform-provider-docker v0.0.0" \
	"github.com/terraform-providers/terraform-provider-docker => github.com/kreuzwerker/terraform-provider-docker $TF_DOCKER_PROVIDER_PSEUDO"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "kreuzwerker/docker" = "$TOOLS_BIN"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1

log "terraform fmt -check -recursive deploy/terraform"
terraform fmt -check -recursive -diff "$tf_dir"

# tf_prepare DIR: a private data directory (keeps .terraform/ out of the
# repository) with the local modules recorded. `get` only records local
# paths; `init` would try the provider registry and the S3 backend.
tf_prepare() {
	local dir="$1"
	TF_DATA_DIR="$work/data/${dir//\//_}/.terraform"
	export TF_DATA_DIR
	terraform -chdir="$tf_dir/$dir" get >/dev/null
}

# Validation diagnostics as text, without the expected dev_overrides warning.
print_validation() {
	python3 -c '
import json, sys
r = json.load(sys.stdin)
for d in r.get("diagnostics", []):
    if d["summary"] == "Provider development overrides are in effect":
        continue
    rng = d.get("range") or {}
    where = "%s:%s" % (rng.get("filename", "?"), rng.get("start", {}).get("line", "?"))
    print("%s: %s: %s\n    %s" % (d["severity"], where, d["summary"], d.get("detail", "").replace("\n", "\n    ")))
sys.exit(0 if r["valid"] else 1)
'
}

failed=0
for env_dir in "$tf_dir"/environments/*/; do
	rel="environments/$(basename "$env_dir")"
	log "terraform validate $rel"
	tf_prepare "$rel"
	if ! terraform -chdir="$env_dir" validate -json -no-color | print_validation; then
		warn "terraform validate $rel failed"
		failed=1
	fi
done

while IFS= read -r tests_dir; do
	dir="${tests_dir#"$tf_dir"/}"
	dir="${dir%/tests}"
	log "terraform test $dir"
	tf_prepare "$dir"
	if ! out="$(terraform -chdir="$tf_dir/$dir" test -no-color 2>&1)"; then
		printf '%s\n' "$out" >&2
		warn "terraform test $dir failed"
		failed=1
	else
		printf '%s\n' "$out" | grep -E '^Success!' >&2 || true
	fi
done < <(find "$tf_dir" -type d -name tests -not -path '*/.terraform/*' | sort)

# validate does not read *.tfvars and plan cannot run offline against the
# real hosts: check that they set only declared variables.
for tfvars in "$tf_dir"/environments/*/*.tfvars; do
	[ -e "$tfvars" ] || continue
	env_dir="$(dirname "$tfvars")"
	while IFS= read -r name; do
		if ! grep -Eq "^variable \"$name\"" "$env_dir"/*.tf; then
			warn "${tfvars#"$REPO_ROOT"/} sets undeclared variable $name"
			failed=1
		fi
	done < <(sed -nE 's/^([a-z_][a-z0-9_]*)[[:space:]]*=.*/\1/p' "$tfvars")
done

[ "$failed" = 0 ] || die "terraform: FAILED"
not_checked "terraform init/plan/apply against real Docker hosts (no daemon, no S3 state backend offline); the provider version constraint (~> 3.0) is bypassed by the dev_overrides build of $TF_DOCKER_PROVIDER_PSEUDO, so the schema checked is that commit's."
log "terraform: OK"
