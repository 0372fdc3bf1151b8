#!/usr/bin/env bash
# Runs the guest test suite (tests/Damon.Guest) in the two-node QEMU test bed under each kernel (6.12, 7.3).
# Builds what the guest needs (Release), sets the test bed up (tools/testbed/setup.sh, cached in
# $DAMON_TESTBED_DIR, default /var/cache/damon-testbed), prints one line per case named with its kernel
# ("PASS 6.12/move_pages/...") and ends with ONE line "guest: N passed, N failed, N skipped" over all kernels.
# When the test bed cannot be set up (qemu missing, no kernel reachable) every case is SKIPPED with the reason,
# never passed. DAMON_SKIP_GUEST=1 skips everything (quick local runs; CI does not set it).
# Exit 0 only if no case failed. Per-kernel console logs: $DAMON_GUEST_LOGS (default /tmp/damon-guest-logs).
set -uo pipefail
cd "$(dirname "$0")/.."
TB=${DAMON_TESTBED_DIR:-/var/cache/damon-testbed}
LOGS=${DAMON_GUEST_LOGS:-/tmp/damon-guest-logs}
TIMEOUT=${DAMON_GUEST_TIMEOUT:-900}
# DAMON_GUEST_OPEN=1 adds the cases of open problems (Damon.Guest --open; docs/testbed.md), which CI does not run.
OPEN=()
[ "${DAMON_GUEST_OPEN:-}" = 1 ] && OPEN=(--open)
KERNELS=(6.12 7.3)
declare -A SUITE=([6.12]=bookworm-backports [7.3]=trixie-backports)
GUEST_DLL=tests/Damon.Guest/bin/Release/net10.0/Damon.Guest.dll
passed=0 failed=0 skipped=0
mkdir -p "$LOGS"

finish() {
  echo "guest: $passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
  exit $?
}
report() {  # report OUTCOME NAME [REASON]
  case $1 in PASS) passed=$((passed + 1));; FAIL) failed=$((failed + 1));; SKIP) skipped=$((skipped + 1));; esac
  echo "$1 $2${3:+: $3}"
}
skip_kernel() {  # skip_kernel KERNEL REASON: every case of the suite under KERNEL is skipped
  local c
  for c in "${CASES[@]}"; do report SKIP "$1/$c" "$2"; done
}

if [ "${DAMON_SKIP_GUEST:-}" = 1 ]; then
  if [ -f "$GUEST_DLL" ] && mapfile -t CASES < <(dotnet "$GUEST_DLL" --list "${OPEN[@]}") && [ ${#CASES[@]} -gt 0 ]; then
    for k in "${KERNELS[@]}"; do skip_kernel "$k" "DAMON_SKIP_GUEST=1"; done
  else
    report SKIP guest "DAMON_SKIP_GUEST=1"
  fi
  finish
fi

if ! dotnet build tests/Damon.Guest -c Release --nologo -v q > "$LOGS/build.log" 2>&1; then
  report FAIL guest/build "dotnet build tests/Damon.Guest failed (see $LOGS/build.log)"
  finish
fi
mapfile -t CASES < <(dotnet "$GUEST_DLL" --list "${OPEN[@]}")
if [ ${#CASES[@]} -eq 0 ]; then report FAIL guest/list "Damon.Guest --list printed no case"; finish; fi

setup_reason=
start=$(date +%s)
if ! tools/testbed/setup.sh "$TB" > "$LOGS/setup.log" 2>&1; then
  setup_reason="test bed setup failed: $(tail -1 "$LOGS/setup.log")"
elif ! command -v qemu-system-x86_64 > /dev/null; then
  setup_reason="qemu-system-x86_64 is not installed"
fi
echo "guest-test: setup $(( $(date +%s) - start )) s ($LOGS/setup.log)"

for k in "${KERNELS[@]}"; do
  if [ -n "$setup_reason" ]; then skip_kernel "$k" "$setup_reason"; continue; fi
  if [ ! -s "$TB/kernels/$k/vmlinuz" ]; then
    why=$(cat "$TB/kernels/${SUITE[$k]}.unavailable" 2>/dev/null || echo "not set up")
    skip_kernel "$k" "kernel $k (${SUITE[$k]}) unavailable: $why"
    continue
  fi
  ver=$(basename "$(readlink -f "$TB/kernels/$k")")
  start=$(date +%s)
  run_guest() {
    tools/testbed/run-in-guest.sh --dir "$TB" --kernel "$k" --timeout "$TIMEOUT" --quiet \
      --log "$LOGS/console-$k.log" -- dotnet "$GUEST_DLL" "${OPEN[@]}" --expect-kernel "$ver" 2> "$LOGS/run-$k.err"
  }
  out=$(run_guest)
  rc=$?
  # A guest that died before the suite printed any case (a TCG boot that oopsed, seen once in sched_clock_cpu)
  # is booted once more; a case that ran and failed is never retried.
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && ! grep -qE '^(PASS|FAIL|SKIP) ' <<< "$out"; then
    cp "$LOGS/console-$k.log" "$LOGS/console-$k.first-boot.log" 2>/dev/null
    echo "guest-test: kernel $k: the guest ended (exit $rc) before any case ran; booting it once more ($LOGS/console-$k.first-boot.log)"
    out=$(run_guest)
    rc=$?
  fi
  echo "guest-test: kernel $k ($ver) exit $rc in $(( $(date +%s) - start )) s ($LOGS/console-$k.log)"
  declare -A seen=()
  while IFS= read -r line; do
    if [[ $line =~ ^(PASS|FAIL|SKIP)\ ([^:]+)(:\ (.*))?$ ]]; then
      report "${BASH_REMATCH[1]}" "$k/${BASH_REMATCH[2]}" "${BASH_REMATCH[4]}"
      seen[${BASH_REMATCH[2]}]=1
    elif [[ ! $line =~ ^guest:\  ]]; then
      echo "  $k| $line"
    fi
  done <<< "$out"
  # A case the guest never reported (crash, timeout) is a failure, not a silent omission.
  for c in "${CASES[@]}"; do
    [ -n "${seen[$c]:-}" ] || report FAIL "$k/$c" "no result from the guest (run-in-guest exit $rc: $(tail -1 "$LOGS/run-$k.err"))"
  done
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    report FAIL "$k/suite" "Damon.Guest exited $rc (see $LOGS/console-$k.log)"
  fi
  unset seen
done
finish
