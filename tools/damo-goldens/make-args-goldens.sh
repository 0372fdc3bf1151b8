#!/bin/bash
# Regenerates tests/Damon.Config.Tests/Golden/<case>.{json,yaml,report} from damo's source in the
# mirror: for every '<name>|<options>' line of Golden/cases.txt, 'damo args damon <options>
# --format json|yaml|report' with damo's feature probe answered by damo_args_goldens.py (only
# sysfs/damon_sample_control available, so the sampling options build sample_control as on a
# damon/next kernel). Not run in CI: it needs python3 and the damo mirror.
# 'default' is skipped: damo fills in the System RAM of the machine it runs on (cases.txt).
# --numa_node cases see GoldenMachineLayout's two nodes (tests/Damon.Config.Tests/TestSupport.cs):
# node 0 [4096, 8 GiB), node 1 [8 GiB, 16 GiB), through DAMO_GOLDEN_NODES.
export DAMO_GOLDEN_NODES=0:4096-8589934592,1:8589934592-17179869184
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
mirror=${DAMO_MIRROR:-/work/.mirror/damonitor+damo/repo}
rev=${DAMO_REV:-df6d55fa}
golden=$repo/tests/Damon.Config.Tests/Golden
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
git --git-dir="$mirror" archive "$rev" src | tar -x -C "$src"
grep -v '^#' "$golden/cases.txt" | grep '|' | while IFS='|' read -r name options; do
  [ "$name" = default ] && continue
  for fmt in json yaml report; do
    # shellcheck disable=SC2086 # the options are words, as the tests split them
    python3 "$here/damo_args_goldens.py" "$src/src" sysfs/damon_sample_control -- \
      $options --format "$fmt" > "$golden/$name.$fmt" 2>/dev/null < /dev/null
  done
  echo "$name"
done
