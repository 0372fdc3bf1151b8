using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Damon.Shared;

namespace Damon.Tiering.Harness;

/// <summary>Which shard a report is (<see cref="Sweep.TieringShard"/>) and the sweep's whole policy list, for the merge's order.</summary>
public sealed record ShardInfo(Sweep.TieringShard Shard, IReadOnlyList<string> Policies);

/// <summary>A suite's results, as a terminal table, JSON (schema "damon-tiering-bench/1") and SVG plots.</summary>
public sealed class TieringReport(ulong seed, IReadOnlyList<TieringScenario> scenarios, IReadOnlyDictionary<string, double> allFastNsPerAccess, IReadOnlyList<PolicyResult> results)
{
    public const string Schema = "damon-tiering-bench/1";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public ulong Seed { get; } = seed;
    public IReadOnlyList<TieringScenario> Scenarios { get; } = scenarios;
    public IReadOnlyDictionary<string, double> AllFastNsPerAccess { get; } = allFastNsPerAccess;
    public IReadOnlyList<PolicyResult> Results { get; } = results;
    /// <summary>Set for one shard of a sweep: written as <c>shard</c>, which <c>damon bench merge</c> reads.</summary>
    public ShardInfo? Shard { get; init; }

    public string ToTable()
    {
        var rows = new List<string[]> { new[] { "scenario", "policy", "norm.runtime", "slow-acc%", "promoted", "demoted", "ping-pong", "converge", "mon.cpu ms/s", "bg ms/s" } };
        string? last = null;
        foreach (var r in Results)
        {
            // An empty row is a blank line between scenarios.
            if (last is not null && r.Scenario != last) rows.Add([]);
            last = r.Scenario;
            rows.Add([
                r.Scenario, r.Policy, r.NormalizedRuntime.ToString("0.000", Inv), (r.SlowTierAccessRatio * 100).ToString("0.0", Inv),
                Mib(r.BytesPromoted), Mib(r.BytesDemoted), r.PingPongPages.ToString(Inv),
                r.ConvergeMs is { } c ? (c / 1000).ToString("0.00", Inv) + " s" : "-",
                r.MonitorCpuMsPerSimSec.ToString("0.00", Inv), r.BackgroundMsPerSimSec.ToString("0.0", Inv),
            ]);
        }
        var sb = new StringBuilder();
        TextTable.Append(sb, rows, leftAligned: 2, headerRule: true);
        return sb.ToString();
    }

    private static string Mib(ulong bytes) => (bytes / (1024.0 * 1024)).ToString("0.0", Inv) + " MiB";

    public JsonObject ToJson()
    {
        var scen = new JsonArray();
        foreach (var s in Scenarios)
        {
            var row = new JsonObject
            {
                ["name"] = s.Name,
                ["group"] = s.Group,
                ["description"] = s.Description,
                ["duration_us"] = s.DurationUs,
                ["phase_changes_us"] = new JsonArray(s.PhaseChangesUs.Select(p => (JsonNode)p).ToArray()),
                ["all_fast_ns_per_access"] = AllFastNsPerAccess.TryGetValue(s.Name, out double b) ? b : null,
            };
            // Scenarios with phases: the moving-optimum reference (PhaseRuntime.AddReference).
            if (PhaseRuntime.Starts(s).Count > 1)
                row["phase_starts_us"] = new JsonArray(PhaseRuntime.Starts(s).Select(t => (JsonNode)t).ToArray());
            scen.Add(row);
        }
        var res = new JsonArray();
        foreach (var r in Results)
        {
            var row = AccessorJson.AddTo(r.Accessor, new JsonObject
            {
                ["scenario"] = r.Scenario,
                ["policy"] = r.Policy,
                ["normalized_runtime"] = r.NormalizedRuntime,
                ["ns_per_access"] = r.NsPerAccess,
                ["nr_accesses"] = r.NrAccesses,
                ["slow_tier_access_ratio"] = r.SlowTierAccessRatio,
                ["bytes_promoted"] = r.BytesPromoted,
                ["bytes_demoted"] = r.BytesDemoted,
                ["ping_pong_pages"] = r.PingPongPages,
                ["converge_ms"] = r.ConvergeMs,
                ["monitor_cpu_ms_per_sim_s"] = r.MonitorCpuMsPerSimSec,
                ["background_ms_per_sim_s"] = r.BackgroundMsPerSimSec,
                ["simulated_s"] = r.SimulatedSeconds,
                ["wall_s"] = r.WallSeconds,
                ["fast_hit_ratio"] = new JsonArray(r.HitRatio.Select(h => (JsonNode)new JsonArray(h.TimeMs, h.FastHitRatio)).ToArray()),
                ["series"] = r.Series?.ToJson(),
            });
            if (r.SplitModel is { } model) row["split_model"] = model.ToJson();
            if (r.Series is not null && Scenarios.FirstOrDefault(x => x.Name == r.Scenario) is { } sc && PhaseRuntime.Starts(sc).Count > 1)
                row["phase_ns_per_access"] = new JsonArray(PhaseRuntime.NsPerAccess(sc, r.Series).Select(PhaseRuntime.Num).ToArray());
            res.Add(row);
        }
        PhaseRuntime.AddReference(scen, res);
        var doc = new JsonObject { ["schema"] = Schema, ["seed"] = Seed, ["scenarios"] = scen, ["results"] = res };
        if (Shard is { } sh)
            doc["shard"] = new JsonObject
            {
                ["index"] = sh.Shard.Index,
                ["count"] = sh.Shard.Count,
                ["policies"] = new JsonArray(sh.Policies.Select(p => (JsonNode)p).ToArray()),
            };
        return doc;
    }

    public string ToJsonText() => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>
    /// Per scenario: fast-tier hit ratio over time with a line per policy (<c>tiering-NAME.svg</c>),
    /// then the series plots beside it (<c>tiering-NAME-fast-used.svg</c>, <c>-promoted</c>,
    /// <c>-hot-on-fast</c> where a hot set is declared): (file name, content).
    /// </summary>
    public IEnumerable<(string FileName, string Svg)> Svgs()
    {
        foreach (var g in Results.GroupBy(r => r.Scenario))
        {
            var list = g.ToList();
            yield return ($"tiering-{g.Key}.svg", HitRatioSvg.Render(g.Key, list));
            var sc = Scenarios.FirstOrDefault(s => s.Name == g.Key);
            int fast = sc is null ? 0 : sc.Machine.Nodes.OrderBy(n => n.Tier).First().Id;
            foreach (var (suffix, svg) in SeriesSvg.Render(g.Key, list, fast))
                yield return ($"tiering-{g.Key}-{suffix}.svg", svg);
        }
    }
}
