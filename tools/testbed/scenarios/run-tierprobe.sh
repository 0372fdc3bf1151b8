#!/bin/bash
# tools/testbed/scenarios/run-tierprobe.sh [options] [-- TIERPROBE_OPTIONS...]      (host side)
# Boots a fresh test-bed guest per run (tools/testbed/run-in-guest.sh), runs tierprobe.sh POLICY there, keeps each
# run's output in OUT/POLICY-KERNEL-N.log and prints tierprobe-summary.awk's lines over all of them.
# Options:
#   --kernel K[,K...]    6.12, 7.3, ... (default 6.12,7.3)
#   --policy P[,P...]    none, numab2, damon (default none,numab2); damon needs --damon_start
#   --runs N             runs per (kernel, policy) (default 3)
#   --out DIR            where the logs go (default a new /tmp/tierprobe.XXXXXX)
#   --damon_start CMD    the guest command that starts Damon (DAMON_START of tierprobe.sh); --damon_stop CMD,
#                        --damon_wait FILE, --damon_wait_line PATTERN likewise
#   --timeout S          per guest run (default 240)
# Environment: RUN_IN_GUEST (default: tools/testbed/run-in-guest.sh of this checkout), DAMON_TESTBED_DIR (the test bed).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
RIG=${RUN_IN_GUEST:-$REPO/tools/testbed/run-in-guest.sh}
KERNELS=6.12,7.3 POLICIES=none,numab2 RUNS=3 OUT= TIMEOUT=240 DSTART= DSTOP= DWAIT= DWAITLINE=
while [ $# -gt 0 ]; do
  case $1 in
    --kernel) KERNELS=$2; shift 2 ;;
    --policy) POLICIES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --damon_start) DSTART=$2; shift 2 ;;
    --damon_stop) DSTOP=$2; shift 2 ;;
    --damon_wait) DWAIT=$2; shift 2 ;;
    --damon_wait_line) DWAITLINE=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run-tierprobe.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "run-tierprobe.sh: --runs must be a positive number" >&2; exit 2; }
[ -x "$RIG" ] || { echo "run-tierprobe.sh: no $RIG (the test bed's runner)" >&2; exit 2; }
[ -n "$OUT" ] || OUT=$(mktemp -d /tmp/tierprobe.XXXXXX)
mkdir -p "$OUT"
for k in ${KERNELS//,/ }; do
  for p in ${POLICIES//,/ }; do
    for i in $(seq 1 "$RUNS"); do
      log=$OUT/$p-$k-$i.log
      # The guest's environment for tierprobe.sh; quoted by run-in-guest.sh's printf %q.
      "$RIG" --kernel "$k" --share "$REPO" --timeout "$TIMEOUT" --scratch "$OUT/scratch-$p-$k-$i" -- \
        env DAMON_START="$DSTART" DAMON_STOP="$DSTOP" DAMON_WAIT="$DWAIT" DAMON_WAIT_LINE="$DWAITLINE" \
        sh tools/testbed/scenarios/tierprobe.sh "$p" "$@" > "$log" 2> "$log.stderr" || echo "run-tierprobe.sh: $log: exit $?" >&2
      grep -E '^(run|summary) ' <(awk -f "$HERE/tierprobe-summary.awk" "$log" 2>/dev/null) | head -1 | sed "s|^|$(basename "$log"): |" >&2 || true
    done
  done
done
awk -f "$HERE/tierprobe-summary.awk" "$OUT"/*.log
echo "logs: $OUT"
