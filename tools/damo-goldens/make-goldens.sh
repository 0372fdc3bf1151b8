#!/bin/bash
# Regenerates tests/Damon.Linux.Tests/Golden/sysfs/*.txt from damo 3.3's source in the mirror.
# Not run in CI: it needs python3 and the damo mirror (/work/.mirror/damonitor+damo/repo by default).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
mirror=${DAMO_MIRROR:-/work/.mirror/damonitor+damo/repo}
out=$repo/tests/Damon.Linux.Tests/Golden/sysfs
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
git --git-dir="$mirror" archive v3.3.0 src | tar -x -C "$src"
mkdir -p "$out"
gen() { local name=$1 level=$2; shift 2
  python3 "$here/damo_sysfs_goldens.py" "$src/src" "$level" -- "$@" > "$out/$name.txt" 2>/dev/null
  echo "$out/$name.txt: $(grep -c '^write' "$out/$name.txt") writes"; }
# (a) vaddr defaults
gen vaddr-defaults-7.2 7.2 --ops vaddr --target_pid 123
gen vaddr-defaults-6.12 6.12 --ops vaddr --target_pid 123
# (b) paddr migrate_cold with a node_mem_used_bp quota goal (node goals need 6.16+: 7.2 tree only)
gen paddr-migrate-cold-goal-7.2 7.2 --ops paddr --regions 4294967296-6442450944 \
  --damos_action migrate_cold 1 --damos_access_rate 0% 0% --damos_age 10s max \
  --damos_quota_interval 1s --damos_quota_space 100M --damos_quota_goal node_mem_used_bp 30% 0
# (c) two schemes with filters (anon, memcg, addr). 6.12 has no allow file: damo refuses allow
# filters there, so the 6.12 tree gets the reject-only variant.
mixed=(--ops vaddr --target_pid 123
  --damos_action pageout --damos_access_rate 0% 0% --damos_age 5s max
  --damos_filter reject none anon --damos_filter allow memcg /workload
  --damos_action stat --damos_filter reject addr 4096 1048576 --damos_filter allow anon
  --damos_nr_filters 2 2)
reject=(--ops vaddr --target_pid 123
  --damos_action pageout --damos_access_rate 0% 0% --damos_age 5s max
  --damos_filter reject none anon --damos_filter reject memcg /workload
  --damos_action stat --damos_filter reject addr 4096 1048576 --damos_filter reject anon
  --damos_nr_filters 2 2)
gen filters-two-schemes-7.2 7.2 "${mixed[@]}"
gen filters-reject-7.2 7.2 "${reject[@]}"
gen filters-reject-6.12 6.12 "${reject[@]}"
# (d) access sampling on the hack tree's monitoring_attrs/sample/: page_fault with the three
# filter types; a vaddr context with page_table and one threads filter
gen sample-filters-reports reports --ops paddr --regions 4294967296-6442450944 \
  --sample_primitives page_fault --exp_ops_write_only Y --exp_ops_cpus 0-3,8 --exp_ops_tids 1234,1235
gen sample-threads-vaddr-reports reports --ops vaddr --target_pid 123 --exp_ops_tids 123
