#!/usr/bin/env bash
# gofmt, go vet and staticcheck over the whole module.
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
echo "lint: clean"
