#!/usr/bin/env bash
# Runs every test of the solution. Idempotent; installs what the tests need first.
# Then the guest proof (scripts/guest-test.sh; DAMON_SKIP_GUEST=1 skips it).
# Prints a closing line "tests: N passed, N failed, N skipped" (dotnet + guest) and exits non-zero on any failure.
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
# The guest proof (tests/Damon.Guest in the two-node QEMU test bed); DAMON_SKIP_GUEST=1 skips it, saying so.
glog=$(mktemp)
trap 'rm -f "$log" "$glog"' EXIT
set +e
./scripts/guest-test.sh 2>&1 | tee "$glog"
gstatus=${PIPESTATUS[0]}
set -e
gline=$(grep -E '^guest: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$glog" | tail -1)
if [ -n "$gline" ]; then
  read -r gpassed gfailed gskipped < <(echo "$gline" | sed -E 's/guest: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped/\1 \2 \3/')
else
  gline="guest: 0 passed, 1 failed, 0 skipped"   # guest-test.sh died before its summary: that is a failure
  gpassed=0 gfailed=1 gskipped=0
fi
echo "dotnet: ${passed} passed, ${failed} failed, ${skipped} skipped"
echo "$gline"
echo "tests: $((passed + gpassed)) passed, $((failed + gfailed)) failed, $((skipped + gskipped)) skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$gstatus" -ne 0 ] || [ "$gfailed" -ne 0 ]; then
  exit 1
fi
if [ "$passed" -eq 0 ]; then
  echo "scripts/test.sh: no test ran" >&2
  exit 1
fi
