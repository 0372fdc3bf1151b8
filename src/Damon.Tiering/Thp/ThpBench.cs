using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Damon.Core.Schemes;
using Damon.Shared;
using Damon.Tiering.Harness;

namespace Damon.Tiering.Thp;

/// <summary>A bench row: a policy's bloat and speed-up against the two baselines of its scenario.</summary>
public sealed record ThpRow(string Scenario, string Policy, double? BloatRemovedRatio, double? SpeedupKeptRatio, ThpRunResult Run);

/// <summary>One goal tuner's curve in the tuner study.</summary>
public sealed record ThpTunerSeries(string Tuner, ulong TargetBp, ulong FinalBp, ulong MaxBp, double MeanLastThirdBp, IReadOnlyList<ThpSample> Series);

/// <summary>
/// <c>damon bench thp</c>: every policy on every THP scenario, rows with
/// bloat_removed_ratio = 1 − bloat / bloat(thp=always) (bloat averaged over each run's second
/// half) and speedup_kept_ratio = (t(thp=never) − t) / (t(thp=never) − t(thp=always)) (t: busy ns
/// per access of the running processes), and the tuner study's hugepage_mem_bp curves.
/// A ratio whose baseline difference is too small to divide by (no bloat under thp=always, or
/// huge pages less than 1 % faster) is null.
/// </summary>
public sealed class ThpBench(IReadOnlyList<TieringScenario> scenarios, IReadOnlyList<ThpPolicy> policies, ulong seed, TieringScenario? tunerScenario, ulong tunerTargetBp = 3000)
{
    public event Action<string, string>? Progress;

    public (List<ThpRow> Rows, List<ThpTunerSeries> Tuners) Run(CancellationToken cancel = default)
    {
        var rows = new List<ThpRow>();
        foreach (var sc in scenarios)
        {
            var results = new Dictionary<string, ThpRunResult>();
            foreach (var p in policies.Prepend(ThpPolicy.Always).Prepend(ThpPolicy.Never).DistinctBy(p => p.Name))
            {
                Progress?.Invoke(sc.Name, p.Name);
                results[p.Name] = ThpRun.Run(sc, p, seed, cancel);
            }
            var never = results[ThpPolicy.Never.Name];
            var always = results[ThpPolicy.Always.Name];
            foreach (var p in policies)
            {
                var r = results[p.Name];
                rows.Add(new ThpRow(sc.Name, p.Name, BloatRemoved(always, r), SpeedupKept(never, always, r), r));
            }
        }
        var tuners = new List<ThpTunerSeries>();
        if (tunerScenario is { } goal)
        {
            foreach (var tuner in new[] { DamosQuotaGoalTuner.Consist, DamosQuotaGoalTuner.Temporal })
            {
                var p = ThpPolicy.GoalStudy(tuner, tunerTargetBp);
                Progress?.Invoke(goal.Name, p.Name);
                var r = ThpRun.Run(goal, p, seed, cancel);
                var s = r.Series;
                var lastThird = s.Skip(s.Count * 2 / 3).ToList();
                tuners.Add(new ThpTunerSeries(tuner == DamosQuotaGoalTuner.Temporal ? "temporal" : "consist", tunerTargetBp,
                    s[^1].HugepageMemBp, s.Max(x => x.HugepageMemBp), lastThird.Average(x => (double)x.HugepageMemBp), s));
            }
        }
        return (rows, tuners);
    }

    public static double? BloatRemoved(ThpRunResult always, ThpRunResult r) =>
        always.MeanBloatBytes < 1 << 20 ? null : 1 - r.MeanBloatBytes / always.MeanBloatBytes;

    public static double? SpeedupKept(ThpRunResult never, ThpRunResult always, ThpRunResult r)
    {
        double gain = never.NsPerAccess - always.NsPerAccess;
        return !(gain > 0.01 * never.NsPerAccess) ? null : (never.NsPerAccess - r.NsPerAccess) / gain;
    }

    public static string ToTable(List<ThpRow> rows, List<ThpTunerSeries> tuners)
    {
        var inv = CultureInfo.InvariantCulture;
        static string R(double? v) => v is null ? "n/a" : v.Value.ToString("0.000", CultureInfo.InvariantCulture);
        var table = new List<string[]> { new[] { "scenario", "policy", "bloat_removed", "speedup_kept", "ns/access", "bloat MiB", "THP MiB", "used MiB", "slow-acc%", "collapses", "splits", "moved", "action ms/s" } };
        foreach (var r in rows)
        {
            var x = r.Run;
            table.Add([r.Scenario, r.Policy, R(r.BloatRemovedRatio), R(r.SpeedupKeptRatio), x.NsPerAccess.ToString("0.00", inv),
                (x.MeanBloatBytes / (1 << 20)).ToString("0.0", inv), (x.FinalThpBytes >> 20).ToString(inv), (x.FinalUsedBytes >> 20).ToString(inv),
                (x.SlowAccessRatio * 100).ToString("0.0", inv), x.NrCollapses.ToString(inv), x.NrSplits.ToString(inv), x.NrMovedOut.ToString(inv),
                x.ActionMsPerSimSec.ToString("0.00", inv)]);
        }
        var sb = new StringBuilder();
        TextTable.Append(sb, table, leftAligned: 2, headerRule: true);
        foreach (var s in tuners)
            sb.AppendLine(inv, $"tuner {s.Tuner}: hugepage_mem_bp target {s.TargetBp}, final {s.FinalBp}, max {s.MaxBp}, mean of the last third {s.MeanLastThirdBp:0} ({(s.MeanLastThirdBp - s.TargetBp) / 100:+0.00;-0.00} pp)");
        return sb.ToString();
    }

    public static string ToJsonText(List<ThpRow> rows, List<ThpTunerSeries> tuners, ulong seed)
    {
        var arr = new JsonArray();
        foreach (var r in rows)
        {
            var x = r.Run;
            arr.Add(new JsonObject
            {
                ["scenario"] = r.Scenario,
                ["policy"] = r.Policy,
                ["bloat_removed_ratio"] = r.BloatRemovedRatio,
                ["speedup_kept_ratio"] = r.SpeedupKeptRatio,
                ["ns_per_access"] = Math.Round(x.NsPerAccess, 3),
                ["mean_bloat_bytes"] = Math.Round(x.MeanBloatBytes),
                ["final_thp_bytes"] = x.FinalThpBytes,
                ["final_used_bytes"] = x.FinalUsedBytes,
                ["slow_access_ratio"] = Math.Round(x.SlowAccessRatio, 5),
                ["nr_collapses"] = x.NrCollapses,
                ["nr_splits"] = x.NrSplits,
                ["nr_moved_out"] = x.NrMovedOut,
                ["action_ms_per_sim_s"] = Math.Round(x.ActionMsPerSimSec, 3),
                ["collapse_nr_tried"] = x.CollapseNrTried,
                ["collapse_sz_tried"] = x.CollapseSzTried,
                ["collapse_sz_applied"] = x.CollapseSzApplied,
                ["processes"] = new JsonArray(x.Processes.Select(p => (JsonNode)new JsonObject
                {
                    ["pid"] = p.Pid,
                    ["nr_accesses"] = p.NrAccesses,
                    ["ns_per_access"] = Math.Round(p.NsPerAccess, 3),
                }).ToArray()),
                ["thp_series"] = new JsonArray(x.Series.Where((_, i) => i % 5 == 4).Select(p => (JsonNode)new JsonArray(p.TimeMs, p.HugepageMemBp, p.BloatBytes >> 20)).ToArray()),
                ["wall_s"] = Math.Round(x.WallSeconds, 2),
            });
        }
        var ts = new JsonArray();
        foreach (var s in tuners)
        {
            ts.Add(new JsonObject
            {
                ["tuner"] = s.Tuner,
                ["target_bp"] = s.TargetBp,
                ["final_bp"] = s.FinalBp,
                ["max_bp"] = s.MaxBp,
                ["mean_last_third_bp"] = Math.Round(s.MeanLastThirdBp, 1),
                ["hugepage_mem_bp"] = new JsonArray(s.Series.Select(p => (JsonNode)new JsonArray(p.TimeMs, p.HugepageMemBp)).ToArray()),
            });
        }
        var root = new JsonObject { ["seed"] = seed, ["rows"] = arr, ["hugepage_mem_bp_series"] = ts };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The tuner study's curves, with the target as a flat line.</summary>
    public static string TunerSvg(List<ThpTunerSeries> tuners)
    {
        var lines = new List<(string, IReadOnlyList<(double, double)>)>();
        foreach (var s in tuners)
            lines.Add((s.Tuner, s.Series.Select(p => (p.TimeMs, p.HugepageMemBp / 100.0)).ToList()));
        if (tuners.Count > 0)
            lines.Add(("target", tuners[0].Series.Select(p => (p.TimeMs, tuners[0].TargetBp / 100.0)).ToList()));
        return LinePlotSvg.Render("hugepage_mem_bp (% of used memory in THPs)", lines, v => v.ToString("0", CultureInfo.InvariantCulture) + " %");
    }
}
