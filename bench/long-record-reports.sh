#!/usr/bin/env bash
# Reports on a long record, damo 3.3 and Damon side by side (issue 14 part 5; not run in CI).
#
#   bench/long-record-reports.sh [WORK_DIR]      (default /tmp/damon-long-record)
#
# Makes (once) a 300 s record on the simulator: `damon record --duration 300
# --monitoring_intervals 5ms 100ms 1s` (the default workload and seed; 3,000 snapshots of ~490
# regions, ~20 MB json_compressed, ~790 MB of JSON inside), unpacks damo's source from its git
# mirror, then runs `report heatmap` and `report wss` with each under /usr/bin/time and prints
# wall time, CPU time (user + sys), peak RSS and the ratios. wss must print the same bytes as
# damo (checked); the heatmap differs from damo's by the accounting fix of
# docs/heatmap-accounting.md (the golden tests and the streaming tests pin Damon's output).
# The machine may be shared: the load average before and after is printed; compare CPU times.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${1:-/tmp/damon-long-record}
DAMO_GIT=${DAMO_GIT:-/work/.mirror/damonitor+damo/repo}
mkdir -p "$WORK"

dotnet build "$REPO/src/Damon.Cli" -c Release --nologo -v q >/dev/null
DAMON="$REPO/src/Damon.Cli/bin/Release/net10.0/damon"
RECORD="$WORK/r300.data"
if [ ! -f "$RECORD" ]; then
    echo "making $RECORD (a few minutes)" >&2
    "$DAMON" record --duration 300 --monitoring_intervals 5ms 100ms 1s --out "$RECORD" >&2
fi
if [ ! -f "$WORK/damo/damo" ]; then
    mkdir -p "$WORK/damo"
    git --git-dir="$DAMO_GIT" archive --format=tar HEAD src damo | tar -x -C "$WORK/damo"
fi

# One run: label, command... -> "label wall_s cpu_s rss_kb"
measure() {
    local label=$1 out=$2; shift 2
    /usr/bin/time -f "$label %e %U %S %M" -o "$WORK/time.$label" "$@" > "$out"
    awk '{ printf "%s %.2f %.2f %d\n", $1, $2, $3 + $4, $5 }' "$WORK/time.$label"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
results=()
for report in heatmap wss; do
    results+=("$(measure "damo-$report" "$WORK/damo-$report.out" python3 "$WORK/damo/damo" report $report -i "$RECORD")")
    results+=("$(measure "damon-$report" "$WORK/damon-$report.out" "$DAMON" report $report -i "$RECORD")")
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cmp -s "$WORK/damo-wss.out" "$WORK/damon-wss.out" && echo "wss: same output as damo" || echo "wss: OUTPUT DIFFERS from damo"

printf '%s\n' "${results[@]}" | awk '
    { wall[$1] = $2; cpu[$1] = $3; rss[$1] = $4 }
    END {
        printf "%-8s %10s %10s %10s %10s %12s %12s %8s %8s %8s\n", "report", "damo wall", "damon wall", "damo cpu", "damon cpu", "damo MiB", "damon MiB", "wall x", "cpu x", "mem /"
        split("heatmap wss", reports, " ")
        for (i = 1; i <= 2; i++) {
            r = reports[i]; d = "damo-" r; n = "damon-" r
            printf "%-8s %9.2fs %9.2fs %9.2fs %9.2fs %12.1f %12.1f %8.1f %8.1f %8.1f\n", r, wall[d], wall[n], cpu[d], cpu[n],
                rss[d] / 1024, rss[n] / 1024, wall[d] / wall[n], cpu[d] / cpu[n], rss[d] / rss[n]
        }
    }'
