#!/usr/bin/env bash
# Shared helpers for the scripts in scripts/validate/. Source it; do not run it.
#
# The only things that may install software are ensure_apt (Debian packages,
# only as root and only when the command is missing) and the go_build_* helpers
# (pinned Go modules, built into a cache directory outside the repository).
# Nothing here ever writes a binary into the repository.
# shellcheck shell=bash

# Root of the repository, whatever the caller's working directory.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export REPO_ROOT

# Cache for tools that are built from the Go module proxy. Kept outside the
# repository so that no binary can be committed by accident.
TOOLS_CACHE="${TWEETS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tweets-tools}"
TOOLS_BIN="$TOOLS_CACHE/bin"
export TOOLS_CACHE TOOLS_BIN
mkdir -p "$TOOLS_BIN"
PATH="$TOOLS_BIN:$PATH"
export PATH

# Pinned versions (see shared/TOOLS.md for why these and not @latest).
ACTIONLINT_VERSION="${ACTIONLINT_VERSION:-v1.7.12}"
COMPOSE_V2_VERSION="${COMPOSE_V2_VERSION:-v2.35.1}"
# kreuzwerker/terraform-provider-docker as served by the Go module proxy
# (its go.mod still calls itself terraform-providers/terraform-provider-docker).
TF_DOCKER_PROVIDER_PSEUDO="${TF_DOCKER_PROVIDER_PSEUDO:-v0.0.0-20260916201441-96d331c98ff4}"

# Debian's python3: Debian packages (python3-yaml) import only there.
DEBIAN_PYTHON=/usr/bin/python3

log()  { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
# not_checked records something this machine cannot verify, loudly.
not_checked() { printf 'NOT CHECKED: %s\n' "$*" >&2; }

# apt_install PACKAGE: install one Debian package (root only). apt-get update
# runs at most once a day (marker in the tools cache).
apt_install() {
	local pkg="$1"
	if [ "$(id -u)" -ne 0 ]; then
		die "Debian package $pkg is missing and we are not root: install it"
	fi
	local marker="$TOOLS_CACHE/apt-updated"
	if [ ! -f "$marker" ] || [ -n "$(find "$marker" -mmin +1440 2>/dev/null)" ]; then
		log "apt-get update"
		apt-get update -qq
		touch "$marker"
	fi
	log "apt-get install $pkg"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
}

# ensure_apt CMD PACKAGE: make CMD available, installing PACKAGE from Debian
# only when CMD is missing.
ensure_apt() {
	local cmd="$1" pkg="$2"
	command -v "$cmd" >/dev/null 2>&1 && return 0
	apt_install "$pkg"
	command -v "$cmd" >/dev/null 2>&1 || die "installing $pkg did not provide $cmd"
}

# ensure_python_yaml: Debian's python3 with PyYAML (python3-yaml).
ensure_python_yaml() {
	if [ -x "$DEBIAN_PYTHON" ] && "$DEBIAN_PYTHON" -c 'import yaml' 2>/dev/null; then
		return 0
	fi
	apt_install python3-yaml
	"$DEBIAN_PYTHON" -c 'import yaml' || die "python3-yaml did not install"
}

# go_install NAME MODULE@VERSION: go install a pinned tool into TOOLS_BIN,
# unless that exact version is already there.
go_install() {
	local name="$1" spec="$2"
	local stamp="$TOOLS_BIN/.$name.version"
	if [ -x "$TOOLS_BIN/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$spec" ]; then
		return 0
	fi
	command -v go >/dev/null 2>&1 || die "go is needed to build $name"
	log "go install $spec (once; cached in $TOOLS_BIN)"
	GOBIN="$TOOLS_BIN" GOFLAGS=-mod=mod nice -n 10 go install "$spec"
	echo "$spec" >"$stamp"
}

# go_build_scratch NAME PACKAGE REQUIRE_LINE [REPLACE_LINE]: build PACKAGE from
# a throw-away module that requires (and maybe replaces) one module. Used for
# tools whose go.mod does not allow a plain `go install` (replace directives).
go_build_scratch() {
	local name="$1" pkg="$2" require="$3" replace="${4:-}"
	local spec="$pkg $require $replace"
	local stamp="$TOOLS_BIN/.$name.version"
	if [ -x "$TOOLS_BIN/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$spec" ]; then
		return 0
	fi
	command -v go >/dev/null 2>&1 || die "go is needed to build $name"
	local dir="$TOOLS_CACHE/src/$name"
	rm -rf "$dir"
	mkdir -p "$dir"
	{
		echo "module tweets.local/tools/$name"
		echo
		echo "go 1.26"
		echo
		echo "require $require"
		if [ -n "$replace" ]; then
			echo
			echo "replace $replace"
		fi
	} >"$dir/go.mod"
	log "building $name from $pkg (once; cached in $TOOLS_BIN; takes minutes)"
	(cd "$dir" && GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0 nice -n 10 go build -trimpath -o "$TOOLS_BIN/$name.tmp" "$pkg")
	mv "$TOOLS_BIN/$name.tmp" "$TOOLS_BIN/$name"
	echo "$spec" >"$stamp"
}

# run_go_module DIR ARGS...: `go run .` in a nested Go module of the repository
# (deploy/k8s/validate, ...), which has its own go.mod so the application's
# module never depends on it.
run_go_module() {
	local dir="$1" bin
	shift
	bin=$(go_module_binary "$dir")
	(cd "$REPO_ROOT/$dir" && nice -n 10 "$bin" "$@")
}

# go_module_hash DIR: a hash of a nested module's files (sources and test
# data), which names what was built or checked from them.
go_module_hash() {
	(cd "$REPO_ROOT/$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

# go_module_binary DIR: builds the nested module once per version of its
# sources into the tools cache and prints the binary's path: go run links
# it again every time, most of a run's cost for the large ones (BuildKit,
# Kubernetes).
go_module_binary() {
	local dir="$1" bin
	bin="$TOOLS_BIN/module-$(echo "$dir" | tr / -)-$(go_module_hash "$dir")"
	if [ ! -x "$bin" ]; then
		(cd "$REPO_ROOT/$dir" && GOWORK=off GOFLAGS=-mod=readonly nice -n 10 go build -o "$bin.tmp" . && mv "$bin.tmp" "$bin") >&2
	fi
	echo "$bin"
}

# shell_scripts: every shell script tracked or untracked (not ignored) in the
# repository, by extension or by shebang.
shell_scripts() {
	list_files() {
		if git -C "$REPO_ROOT" rev-parse --git-dir >/dev/null 2>&1; then
			git -C "$REPO_ROOT" ls-files -co --exclude-standard -z
		else
			(cd "$REPO_ROOT" && find . -type f -print0)
		fi
	}
	list_files |
		while IFS= read -r -d '' f; do
			f="${f#./}"
			case "$f" in
			.git/* | */node_modules/* | vendor/*) continue ;;
			*.sh | *.bash) printf '%s\n' "$f" ;;
			*)
				[ -f "$REPO_ROOT/$f" ] || continue
				if head -c 64 "$REPO_ROOT/$f" 2>/dev/null | head -n1 | grep -Eq '^#!.*(/|env )(ba|da|k)?sh( |$)'; then
					printf '%s\n' "$f"
				fi
				;;
			esac
		done
}
