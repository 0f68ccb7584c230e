#!/usr/bin/env bash
# gofmt, go vet, staticcheck and gosec over the whole module.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t gofiles < <(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './deploy/*/validate/*')
unformatted=$(gofmt -l "${gofiles[@]}")
if [ -n "$unformatted" ]; then
	echo "gofmt would change: $unformatted" >&2
	exit 1
fi
go vet ./...

# staticcheck is pinned; it is built once into the Go bin directory.
gobin=$(go env GOPATH)/bin
if ! "$gobin/staticcheck" -version 2>/dev/null | grep -q '2026.2.2'; then
	echo "installing staticcheck ..." >&2
	go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
fi
"$gobin/staticcheck" ./...

# gosec (security checks), pinned, built once into the tools cache. It takes
# minutes, so a clean run is remembered by a hash of the Go sources and the
# settings below: a rerun on unchanged code is instant.
#   G104 (unchecked errors) is excluded: deliberate ignores (Close on a
#     read-only file, a response write to a gone client) are the common case.
#   deploy/ holds nested modules (their own go.mod, checked by their
#     validators); internal/*test*, internal/testimage and internal/hostile
#     (a corpus of attacks, credentials-in-URLs included) only serve tests.
#   A justified finding carries `#nosec Gxxx -- reason` on its line.
# shellcheck source=scripts/validate/lib.sh
source scripts/validate/lib.sh
go_install gosec github.com/securego/gosec/v2/cmd/gosec@v2.30.0
gosec_args=(-quiet -exclude=G104 -exclude-dir=deploy -exclude-dir=internal/testserver
	-exclude-dir=internal/testimage -exclude-dir=internal/pgtest -exclude-dir=internal/redistest
	-exclude-dir=internal/promtest -exclude-dir=internal/blobtest -exclude-dir=internal/s3test
	-exclude-dir=internal/hostile)
stamp="$TOOLS_CACHE/gosec-clean.$(
	{
		echo "${gosec_args[*]}"
		cat "$TOOLS_BIN/.gosec.version" go.mod go.sum
		git ls-files -co --exclude-standard '*.go' | grep -v '_test\.go$' | sort | xargs cat
	} | sha256sum | cut -c1-16
)"
if [ -f "$stamp" ]; then
	echo "gosec: unchanged since its last clean run"
else
	"$TOOLS_BIN/gosec" "${gosec_args[@]}" ./...
	rm -f "$TOOLS_CACHE"/gosec-clean.*
	touch "$stamp"
fi
echo "lint: clean"
