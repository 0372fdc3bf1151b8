#!/usr/bin/awk -f
# tools/testbed/scenarios/tierprobe-summary.awk [FILE...]      (host side; any awk)
# Reads the output of tierprobe.sh (one or more runs, e.g. several guest consoles concatenated) and prints one line per
# run, then one line per (policy, kernel) with the runs' values side by side:
#   run policy=numab2 kernel=6.12.95+deb12-amd64 t50_s=1.250 t90_s=1.250 cold_node0_at_t90=0 cold_node0_end=0
#       cold_total=14336 hot_node0_end=2048 hot_total=2048 last_t=10.006 policy_lead_s=...
# t50_s / t90_s: the first probe time (seconds since the probe's t=0, when every page had been placed on the start
# node) at which at least 50 % / 90 % of the hot pages were on node 0; "never" if no sample reached it. The probe samples
# every interval_s (0.25 s by default), so a time is "reached by then", resolved to one interval.
# cold_node0_at_t90: cold pages on node 0 in the sample that reached 90 % (the issue's "before 10 % of the cold ones
# move" reads this against cold_total). policy_lead_s: how long before t=0 the policy was running (a probe started
# after the policy; negative would mean the policy started late).
function flush_run(   k) {
  if (!have) return
  nruns++
  k = policy SUBSEP kernel
  if (!(k in nk)) { order[++nkeys] = k; nk[k] = 0 }
  nk[k]++
  line = sprintf("run policy=%s kernel=%s t50_s=%s t90_s=%s cold_node0_at_t90=%s cold_node0_end=%d cold_total=%d hot_node0_end=%d hot_total=%d last_t=%.3f",
                 policy, kernel, t50, t90, c90, cold_end, cold_total, hot_end, hot_total, last_t)
  if (lead != "") line = line sprintf(" policy_lead_s=%.2f", lead)
  print line
  v50[k] = v50[k] (nk[k] > 1 ? " " : "") t50
  v90[k] = v90[k] (nk[k] > 1 ? " " : "") t90
  vc[k] = vc[k] (nk[k] > 1 ? " " : "") c90 "/" cold_total
  ve[k] = ve[k] (nk[k] > 1 ? " " : "") cold_end "/" cold_total
  have = 0
}
function field(name,   i, kv) {
  for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return substr($i, length(name) + 2) }
  return ""
}
{ sub(/\r$/, "") }
$1 == "scenario" { flush_run(); policy = field("policy"); kernel = field("kernel"); have = 0; t50 = t90 = c90 = "never"
                   lead = ""; start_up = ""; next }
$1 == "policy_running" || ($1 == "policy_start" && start_up == "") { start_up = field("uptime"); next }
$1 == "tierprobe" && $2 ~ /^pid=/ { have = 1; if (start_up != "") lead = field("t0_uptime") - start_up; next }
$1 ~ /^t=/ && have {
  t = substr($1, 3) + 0
  hot = field("hot_node0") + 0; hot_total = field("hot_total") + 0
  cold = field("cold_node0") + 0; cold_total = field("cold_total") + 0
  if (t50 == "never" && hot * 2 >= hot_total) t50 = sprintf("%.3f", t)
  if (t90 == "never" && hot * 10 >= hot_total * 9) { t90 = sprintf("%.3f", t); c90 = cold }
  hot_end = hot; cold_end = cold; last_t = t
  next
}
$1 == "scenario_end" { flush_run(); next }
END {
  flush_run()
  for (i = 1; i <= nkeys; i++) {
    k = order[i]; split(k, pk, SUBSEP)
    printf "summary policy=%s kernel=%s runs=%d t50_s=[%s] t90_s=[%s] cold_node0_at_t90=[%s] cold_node0_end=[%s]\n",
           pk[1], pk[2], nk[k], v50[k], v90[k], vc[k], ve[k]
  }
  if (!nruns) { print "tierprobe-summary: no tierprobe run in the input" > "/dev/stderr"; exit 1 }
}
