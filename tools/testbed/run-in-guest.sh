#!/bin/bash
# tools/testbed/run-in-guest.sh [options] -- COMMAND [ARGS...]
# Boots the test-bed guest, runs COMMAND there (busybox sh; cwd /mnt/repo), prints its output and exits with its
# exit code. 9p shares in the guest:
#   /mnt/repo     --share DIR (default: this checkout), read-only unless --rw
#   /mnt/dotnet   the host's dotnet directory, read-only (DOTNET_ROOT=/mnt/dotnet; `dotnet` is on PATH)
#   /mnt/bin      DIR/bin of the test bed (hotcold, toucher), read-only, on PATH
#   /mnt/scratch  --scratch DIR (default: a new temporary directory), writable: outputs, console.log
# Options: --kernel K, --dir TB, --append WORDS, --numa-balancing N (as launch.sh), --timeout SECONDS (default 300),
#   --log FILE (whole console, default SCRATCH/console.log), --quiet (no "run-in-guest:" timing line on stderr).
# Exit codes: the command's; 124 on timeout (QEMU killed); 125 when the guest ends without reporting an exit code;
# 2 for bad usage or a missing test bed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
TB=${DAMON_TESTBED_DIR:-/var/cache/damon-testbed}
SHARE=$REPO RO=on SCRATCH= TIMEOUT=300 LOG= QUIET= LAUNCH=()
while [ $# -gt 0 ]; do
  case $1 in
    --kernel|--append|--numa-balancing) LAUNCH+=("$1" "$2"); shift 2 ;;
    --dir) TB=$2; shift 2 ;;
    --share) SHARE=$(cd "$2" && pwd); shift 2 ;;
    --rw) RO=off; shift ;;
    --scratch) mkdir -p "$2"; SCRATCH=$(cd "$2" && pwd); shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --log) LOG=$2; shift 2 ;;
    --quiet) QUIET=1; shift ;;
    --) shift; break ;;
    *) echo "run-in-guest.sh: unknown option '$1' (the command goes after --)" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "run-in-guest.sh: no command (usage: run-in-guest.sh [options] -- COMMAND [ARGS...])" >&2; exit 2; }
[[ $TIMEOUT =~ ^[0-9]+$ ]] && [ "$TIMEOUT" -gt 0 ] || { echo "run-in-guest.sh: --timeout must be a positive number of seconds" >&2; exit 2; }
TEMP_SCRATCH=
[ -n "$SCRATCH" ] || { SCRATCH=$(mktemp -d /tmp/testbed-scratch.XXXXXX); TEMP_SCRATCH=1; }
# A scratch directory made here is removed at the end unless it holds the console log.
[ -n "$LOG" ] || { LOG=$SCRATCH/console.log; TEMP_SCRATCH=; }
DOTNET_DIR=$(dirname "$(readlink -f "$(command -v dotnet)")")

# The command, quoted for the guest's sh.
{ echo '#!/bin/sh'; printf '%q ' "$@"; echo; } > "$SCRATCH/cmd.sh"
VIRTFS=(-virtfs "local,path=$SHARE,mount_tag=repo,security_model=none,readonly=$RO,id=repo"
        -virtfs "local,path=$DOTNET_DIR,mount_tag=dotnet,security_model=none,readonly=on,id=dotnet"
        -virtfs "local,path=$TB/bin,mount_tag=bin,security_model=none,readonly=on,id=bin"
        -virtfs "local,path=$SCRATCH,mount_tag=scratch,security_model=none,id=scratch")
: > "$LOG"
start=$(date +%s.%N)
set +e
timeout --kill-after=5 "$TIMEOUT" "$HERE/launch.sh" --dir "$TB" "${LAUNCH[@]}" --console "$LOG" -- "${VIRTFS[@]}" < /dev/null
qrc=$?
set -e
wall=$(echo "$start $(date +%s.%N)" | awk '{printf "%.1f", $2-$1}')
rm -f "$SCRATCH/cmd.sh"
[ -z "$TEMP_SCRATCH" ] || rm -rf "$SCRATCH"
# The command's output: the lines between the markers, without carriage returns and kernel messages.
# The marker ends a line but may follow output that had no final newline.
tr -d '\r' < "$LOG" | awk '
  run && match($0, /=== EXIT [0-9]+$/) { if (RSTART > 1) print substr($0, 1, RSTART - 1); exit }
  run && !/^\[ *[0-9]+\.[0-9]+\] / { print }
  /^=== RUN$/ { run = 1 }'
rc=$(tr -d '\r' < "$LOG" | sed -n 's/.*=== EXIT \([0-9][0-9]*\)$/\1/p' | tail -1)
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
  echo "run-in-guest: timeout after ${TIMEOUT} s, QEMU killed; console in $LOG" >&2
  exit 124
fi
if [ -z "$rc" ]; then
  echo "run-in-guest: the guest ended without an exit code (QEMU status $qrc, $(grep -c . "$LOG") console lines); console in $LOG" >&2
  exit 125
fi
[ -n "$QUIET" ] || echo "run-in-guest: exit $rc after $wall s wall (boot + command); console in $LOG" >&2
exit "$rc"
