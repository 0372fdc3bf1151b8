#!/bin/sh
# tools/testbed/scenarios/tierprobe.sh POLICY [TIERPROBE_OPTIONS...]      GUEST ONLY (busybox sh)
# Runs the tierprobe workload (tools/testbed/workloads/tierprobe.c) under one tiering policy in the test-bed guest and
# prints the probe's lines, framed by what the policy was and the guest's migration counters, for
# tools/testbed/scenarios/tierprobe-summary.awk on the host.
#   POLICY  none          no migration: numa_balancing=0, demotion off (the baseline)
#           numab2        the kernel's NUMA-balancing memory tiering: numa_balancing=2 and demotion_enabled=true
#                         (testbed.md §1.8), the kernel's own defaults for everything else
#           damon         Damon as the policy: numa_balancing=0, demotion off, and the command in $DAMON_START is run
#                         (in the background, before the probe) and $DAMON_STOP after it; with $DAMON_WAIT set, the
#                         probe starts only once that file exists (the command's "started" marker); with
#                         $DAMON_WAIT_LINE set, only once the command's output has a line matching that grep pattern
#                         (`damon start` prints "started ..." once the kdamonds run)
#   TIERPROBE_OPTIONS     passed to tierprobe (default: -t 64 -h 8 -n 1 -d 30 -c 0 -i 0.25)
# Environment: TIERPROBE (default: tierprobe on PATH, i.e. /mnt/bin of the test bed); TIERPROBE_TICKERS=0 runs without
# the context-switch tickers (one `hotcold 1 0 0` pinned to each CPU beside every policy, as the guest suite runs them:
# a quiet TCG guest keeps the probe's translations in its software TLB and DAMON's cleared accessed bits stay clear;
# docs/testbed.md, "Context-switch tickers for every case").
# This writes the *guest's* /proc/sys/kernel/numa_balancing and /sys/kernel/mm/numa/demotion_enabled, so it refuses to
# run anywhere but the test-bed guest (the kernel command line word testbed_guest).
set -u
grep -qw testbed_guest /proc/cmdline || { echo "tierprobe.sh: not the test-bed guest (no testbed_guest in /proc/cmdline), refusing"; exit 1; }
[ $# -ge 1 ] || { echo "usage: tierprobe.sh none|numab2|damon [TIERPROBE_OPTIONS...]"; exit 2; }
POLICY=$1; shift
[ $# -gt 0 ] || set -- -t 64 -h 8 -n 1 -d 30 -c 0 -i 0.25
PROBE=${TIERPROBE:-$(command -v tierprobe)}
[ -x "$PROBE" ] || { echo "tierprobe.sh: no tierprobe binary (set TIERPROBE or put it on PATH)"; exit 2; }

uptime_s() { cut -d' ' -f1 /proc/uptime; }
counters() {   # the guest's promotion / demotion / migration counters, one line
  grep -E '^(pgpromote_success|pgpromote_candidate|pgdemote_kswapd|pgdemote_direct|numa_hint_faults|numa_pages_migrated|pgmigrate_success|pgmigrate_fail) ' \
    /proc/vmstat | tr '\n' ' ' | sed 's/ $//; s/ /=/g; s/=\([a-z]\)/ \1/g'
}
demotion() { [ -w /sys/kernel/mm/numa/demotion_enabled ] && echo "$1" > /sys/kernel/mm/numa/demotion_enabled; }

case $POLICY in
  none)   echo 0 > /proc/sys/kernel/numa_balancing; demotion false ;;
  numab2) echo 2 > /proc/sys/kernel/numa_balancing; demotion true ;;
  damon)  echo 0 > /proc/sys/kernel/numa_balancing; demotion false
          [ -n "${DAMON_START:-}" ] || { echo "tierprobe.sh: policy damon needs DAMON_START (the command that starts Damon)"; exit 2; } ;;
  *) echo "tierprobe.sh: unknown policy '$POLICY' (none, numab2, damon)"; exit 2 ;;
esac

# The kernel's NUMA-balancing knobs as they are (debugfs holds the scan periods; mounting it changes nothing).
[ -d /sys/kernel/debug/sched ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
knobs="numa_balancing=$(cat /proc/sys/kernel/numa_balancing) demotion_enabled=$(cat /sys/kernel/mm/numa/demotion_enabled 2>/dev/null || echo absent)"
for f in /proc/sys/kernel/numa_balancing_promote_rate_limit_MBps /sys/kernel/debug/sched/numa_balancing/hot_threshold_ms \
         /sys/kernel/debug/sched/numa_balancing/scan_delay_ms /sys/kernel/debug/sched/numa_balancing/scan_period_min_ms \
         /sys/kernel/debug/sched/numa_balancing/scan_size_mb; do
  [ -r "$f" ] && knobs="$knobs $(basename "$f")=$(cat "$f")"
done
TICKERS=
if [ "${TIERPROBE_TICKERS:-1}" != 0 ]; then
  command -v hotcold > /dev/null || { echo "tierprobe.sh: no hotcold on PATH for the context-switch tickers (TIERPROBE_TICKERS=0 runs without them)"; exit 2; }
  cpu=0
  while [ $cpu -lt "$(grep -c '^processor' /proc/cpuinfo)" ]; do
    taskset -c $cpu hotcold 1 0 0 > /dev/null &
    TICKERS="$TICKERS $!"
    cpu=$((cpu + 1))
  done
fi
echo "scenario policy=$POLICY kernel=$(uname -r) probe_args=$(echo "$@" | tr ' ' ',') $knobs tickers=$(echo $TICKERS | wc -w)"

DPID=
if [ "$POLICY" = damon ]; then
  echo "policy_start uptime=$(uptime_s) cmd=$DAMON_START"
  sh -c "$DAMON_START" > /tmp/damon.out 2>&1 &
  DPID=$!
  if [ -n "${DAMON_WAIT:-}" ]; then
    i=0
    while [ ! -e "$DAMON_WAIT" ] && [ $i -lt 600 ] && kill -0 $DPID 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    [ -e "$DAMON_WAIT" ] || { echo "tierprobe.sh: Damon did not start (no $DAMON_WAIT after $((i / 10)) s):"; sed 's/^/damon: /' /tmp/damon.out; exit 1; }
  fi
  if [ -n "${DAMON_WAIT_LINE:-}" ]; then
    # Bounded by 60 s of waiting, not by the command: kernel mode's `damon start` exits once the kdamonds run.
    i=0
    while ! grep -q -- "$DAMON_WAIT_LINE" /tmp/damon.out && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
    grep -q -- "$DAMON_WAIT_LINE" /tmp/damon.out || { echo "tierprobe.sh: Damon did not start (no line '$DAMON_WAIT_LINE' after $((i / 10)) s):"; sed 's/^/damon: /' /tmp/damon.out; exit 1; }
  fi
  echo "policy_running uptime=$(uptime_s)"
else
  echo "policy_start uptime=$(uptime_s)"
fi
echo "counters_before $(counters)"
"$PROBE" "$@"
rc=$?
echo "counters_after $(counters)"
if [ -n "$DPID" ]; then
  [ -n "${DAMON_STOP:-}" ] && sh -c "$DAMON_STOP" >> /tmp/damon.out 2>&1
  kill $DPID 2>/dev/null; wait $DPID 2>/dev/null
  sed 's/^/damon: /' /tmp/damon.out
fi
[ -n "$TICKERS" ] && { kill $TICKERS; wait $TICKERS 2>/dev/null; }
echo 0 > /proc/sys/kernel/numa_balancing; demotion false
echo "scenario_end rc=$rc"
exit $rc
