#!/usr/bin/env bash
# Runs every test of the solution. Idempotent; installs what the tests need first.
# Prints a closing line "tests: N passed, N failed[, N skipped]" and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "scripts/test.sh: the .NET 10 SDK (dotnet) is required and was not found on PATH" >&2
  exit 2
fi

# The damo compatibility tests read ../shared/data; say so clearly when it is missing.
if [ ! -d ../shared/data ]; then
  echo "scripts/test.sh: ../shared/data (the shared test inputs) is missing beside the checkout" >&2
  exit 2
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Damon.slnx -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Sum the per-assembly summaries ("Failed:     0, Passed:   123, Skipped:     0, Total: ...").
read -r failed passed skipped < <(grep -E '(Passed|Failed)!? +- +Failed: ' "$log" \
  | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/' \
  | awk '{f+=$1; p+=$2; s+=$3} END {print f+0, p+0, s+0}')
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
if [ "$passed" -eq 0 ]; then
  echo "scripts/test.sh: no test ran" >&2
  exit 1
fi
