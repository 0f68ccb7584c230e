#!/usr/bin/env bash
# Runs every fuzz target (a `func FuzzXxx` in a *_fuzz_test.go file; a
# new one is found without listing it here) for FUZZTIME each, one at a
# time, and prints a summary. Exits non-zero if any target fails; the
# input that failed is written under the package's testdata/fuzz/FuzzXxx/,
# where it becomes a seed that plain `go test` runs from then on.
#
#   FUZZTIME=30s (default) how long each target runs: a duration, or
#                Nx for N inputs
#   FUZZ_PARALLEL          how many fuzzing workers (default: GOMAXPROCS)
#   FUZZ_MINIMIZETIME=5s   how long to shrink a new input (Go's default,
#                          60s, stalls the slower targets for most of a
#                          short run)
#   FUZZ_MATCH             a regular expression: only the targets it matches
#
# `make fuzz` runs it for minutes a target; scripts/test.sh runs it for a
# second or two a target, enough to replay the corpus and try a few
# thousand new inputs.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-30s}
parallel=()
if [ -n "${FUZZ_PARALLEL:-}" ]; then
	parallel=(-test.parallel "$FUZZ_PARALLEL")
fi

# "dir name" for each target, in file order.
targets=()
while IFS= read -r file; do
	dir=$(dirname "$file")
	dir=${dir#.}
	dir=./${dir#/}
	while IFS= read -r name; do
		if [ -z "${FUZZ_MATCH:-}" ] || [[ $name =~ $FUZZ_MATCH ]]; then
			targets+=("$dir $name")
		fi
	done < <(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file")
done < <(git ls-files --cached --others --exclude-standard '*_fuzz_test.go' 2>/dev/null ||
	find . -name '*_fuzz_test.go' -not -path './.git/*' | sed 's|^\./||' | sort)

if [ ${#targets[@]} -eq 0 ]; then
	echo "no fuzz targets found" >&2
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cache=$(go env GOCACHE)/fuzz
failed=()
start=$SECONDS

# Each package's test binary is built once, instrumented for fuzzing as
# `go test -fuzz` builds it, and run once a target: a link per target
# would cost more than a short run fuzzes. Without a symbol table and
# DWARF (-s -w) it links in a third of the time; a panic's trace still
# names functions and lines. Run in the package's
# directory, with go test's corpus cache, it reads and writes
# testdata/fuzz and the cache as `go test -fuzz` does.
for t in "${targets[@]}"; do
	read -r dir name <<<"$t"
	t0=$SECONDS
	printf '%-40s ' "$dir $name"
	bin="$work/$(echo "$dir" | tr ./ __).test"
	if [ ! -x "$bin" ] && ! go test -c -ldflags='-s -w' -o "$bin" -fuzz "^$name\$" "$dir" >"$work/log" 2>&1; then
		echo "FAIL (build) $((SECONDS - t0)) s"
		sed 's/^/    /' "$work/log" | tail -n 40
		failed+=("$dir $name")
		continue
	fi
	pkg=$(go list "$dir")
	if (cd "$dir" && "$bin" -test.run '^$' -test.fuzz "^$name\$" -test.fuzztime "$fuzztime" \
		-test.fuzzminimizetime "${FUZZ_MINIMIZETIME:-5s}" -test.fuzzcachedir "$cache/$pkg" \
		-test.paniconexit0 "${parallel[@]}") >"$work/log" 2>&1; then
		echo "ok   $((SECONDS - t0)) s"
	elif grep -q 'context deadline exceeded' "$work/log" && ! grep -q 'Failing input written' "$work/log"; then
		# Go before 1.27 can fail a target as -fuzztime ends, with no
		# input at fault: its coordinator races its own deadline
		# (golang/go#75804). Such a run found nothing.
		echo "ok   $((SECONDS - t0)) s (Go's fuzztime deadline race, golang/go#75804: no failing input)"
	else
		echo "FAIL $((SECONDS - t0)) s"
		sed 's/^/    /' "$work/log" | tail -n 40
		failed+=("$dir $name")
	fi
done

echo "fuzz: ${#targets[@]} targets, $fuzztime each, $((SECONDS - start)) s; ${#failed[@]} failed"
if [ ${#failed[@]} -gt 0 ]; then
	printf '  failed: %s\n' "${failed[@]}" >&2
	echo "  a failing input is kept under the package's testdata/fuzz/; go test -run 'FuzzX/name' ./pkg replays it" >&2
	exit 1
fi
