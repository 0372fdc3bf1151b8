using System.Text.Json.Nodes;
using Damon.Core.Schemes;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Running;
using Damon.Tiering.Policy;
using Damon.Tiering.Scenarios;

namespace Damon.Tiering.Harness;

/// <summary>
/// A run's time series, sampled at the harness's step (<see cref="TieringRun.StepUs"/>): per node
/// the used bytes and, where the workload declares its hot set (<see cref="HotSet"/>), the hot and
/// cold bytes of the declaring processes there; the machine's cumulative promotions, demotions and
/// NUMA hint faults (migrations by the scenario's own moves left out); per DAMON context its (possibly tuned) sampling and aggregation intervals and
/// per scheme its cumulative tried/applied bytes and effective quota (esz). Counters are
/// cumulative, so a rate is a difference of neighbours.
/// </summary>
public sealed class RunSeries
{
    public List<double> TimeMs { get; } = [];
    /// <summary>Per node id.</summary>
    public List<List<ulong>> NodeUsedBytes { get; } = [];
    /// <summary>Per node id; null when no workload declares a hot set.</summary>
    public List<List<ulong>>? NodeHotBytes { get; private set; }
    public List<List<ulong>>? NodeColdBytes { get; private set; }
    public List<ulong> PromotedBytes { get; } = [];
    public List<ulong> DemotedBytes { get; } = [];
    public List<ulong> HintFaults { get; } = [];
    /// <summary>The application's cumulative accesses and busy time (ns), so a phase's ns per access is a ratio of differences.</summary>
    public List<ulong> AppAccesses { get; } = [];
    public List<ulong> AppBusyNs { get; } = [];
    /// <summary>
    /// The same two counters at the scenario's phase boundaries, by simulated µs: the run stops at
    /// each one (<see cref="TieringRun"/>), so a phase that starts between two steps is measured from
    /// its start rather than from the next step, up to 100 ms later.
    /// </summary>
    public Dictionary<ulong, (ulong Accesses, ulong BusyNs)> AppAtUs { get; } = [];
    /// <summary>Per context in creation order; a context created late has nulls before.</summary>
    public List<ContextSeries> Contexts { get; } = [];

    public sealed class ContextSeries
    {
        public List<ulong?> SampleIntervalUs { get; } = [];
        public List<ulong?> AggrIntervalUs { get; } = [];
        public List<SchemeSeries> Schemes { get; } = [];
    }

    public sealed class SchemeSeries(string action)
    {
        public string Action { get; } = action;
        public List<ulong?> TriedBytes { get; } = [];
        public List<ulong?> AppliedBytes { get; } = [];
        public List<ulong?> EffectiveQuotaBytes { get; } = [];
    }

    /// <summary>Takes one sample at simulated <paramref name="nowUs"/>.</summary>
    public void Sample(Simulation sim, TierNodes nodes, ulong nowUs)
    {
        var m = sim.Machine;
        int step = TimeMs.Count;
        TimeMs.Add(nowUs / 1000.0);
        for (int nid = 0; nid < m.NrNodes; nid++)
        {
            if (NodeUsedBytes.Count <= nid) NodeUsedBytes.Add([]);
            NodeUsedBytes[nid].Add(m.NodeUsedBytes(nid));
        }
        var sw = sim.Workload as ScenarioWorkload;
        PromotedBytes.Add(TieringRun.PolicyMigratedPages(m, sw, nodes.Slow, nodes.Fast) << PageSizes.PageShift);
        DemotedBytes.Add(TieringRun.PolicyMigratedPages(m, sw, nodes.Fast, nodes.Slow) << PageSizes.PageShift);
        HintFaults.Add(m.NrHintFaults);
        if (sw is not null)
            SampleHotSet(m, sw, nowUs);
        var ctxs = sim.Contexts;
        for (int c = 0; c < ctxs.Count; c++)
        {
            if (Contexts.Count <= c) Contexts.Add(Padded(new ContextSeries(), step));
            var cs = Contexts[c];
            cs.SampleIntervalUs.Add(ctxs[c].Attrs.SampleIntervalUs);
            cs.AggrIntervalUs.Add(ctxs[c].Attrs.AggrIntervalUs);
            var schemes = ctxs[c].Schemes;
            for (int s = 0; s < schemes.Count; s++)
            {
                if (cs.Schemes.Count <= s) cs.Schemes.Add(Padded(new SchemeSeries(schemes[s].Action.SysfsName()), step));
                var ss = cs.Schemes[s];
                ss.TriedBytes.Add(schemes[s].Stat.SzTried);
                ss.AppliedBytes.Add(schemes[s].Stat.SzApplied);
                ss.EffectiveQuotaBytes.Add(schemes[s].Quota.Esz);
            }
            foreach (var ss in cs.Schemes.Skip(schemes.Count)) ss.Pad(step + 1);
        }
        foreach (var cs in Contexts.Skip(ctxs.Count)) cs.Pad(step + 1);
    }

    private void SampleHotSet(SimMachine m, ScenarioWorkload sw, ulong nowUs)
    {
        var hot = sw.HotRanges(nowUs * 1000);
        if (hot is null) return;
        if (NodeHotBytes is null)
        {
            NodeHotBytes = [];
            NodeColdBytes = [];
            for (int nid = 0; nid < m.NrNodes; nid++) { NodeHotBytes.Add([]); NodeColdBytes.Add([]); }
        }
        var hotNr = new ulong[m.NrNodes];
        var allNr = new ulong[m.NrNodes];
        foreach (int pid in hot.Select(h => h.Pid).Distinct())
            foreach (var vma in m.Process(pid).Vmas)
                for (ulong a = vma.Start; a < vma.End; a += PageSizes.PageSize)
                    if (m.TryTranslate(pid, a, out uint f)) allNr[m.NodeOfFrame(f)]++;
        foreach (var (pid, start, end) in hot)
            for (ulong a = start & ~(PageSizes.PageSize - 1); a < end; a += PageSizes.PageSize)
                if (m.TryTranslate(pid, a, out uint f)) hotNr[m.NodeOfFrame(f)]++;
        for (int nid = 0; nid < m.NrNodes; nid++)
        {
            NodeHotBytes[nid].Add(hotNr[nid] << PageSizes.PageShift);
            NodeColdBytes![nid].Add((allNr[nid] - Math.Min(allNr[nid], hotNr[nid])) << PageSizes.PageShift);
        }
    }

    private static ContextSeries Padded(ContextSeries c, int n) { c.Pad(n); return c; }
    private static SchemeSeries Padded(SchemeSeries s, int n) { s.Pad(n); return s; }

    public JsonObject ToJson()
    {
        static JsonArray Arr<T>(IEnumerable<T> xs) => new(xs.Select(x => x is null ? null : JsonValue.Create(x)).ToArray<JsonNode?>());
        var nodes = new JsonArray();
        for (int nid = 0; nid < NodeUsedBytes.Count; nid++)
        {
            var o = new JsonObject { ["node"] = nid, ["used_bytes"] = Arr(NodeUsedBytes[nid]) };
            if (NodeHotBytes is not null)
            {
                o["hot_bytes"] = Arr(NodeHotBytes[nid]);
                o["cold_bytes"] = Arr(NodeColdBytes![nid]);
            }
            nodes.Add(o);
        }
        var ctxs = new JsonArray();
        foreach (var c in Contexts)
            ctxs.Add(new JsonObject
            {
                ["sample_interval_us"] = Arr(c.SampleIntervalUs),
                ["aggr_interval_us"] = Arr(c.AggrIntervalUs),
                ["schemes"] = new JsonArray(c.Schemes.Select(s => (JsonNode)new JsonObject
                {
                    ["action"] = s.Action,
                    ["tried_bytes"] = Arr(s.TriedBytes),
                    ["applied_bytes"] = Arr(s.AppliedBytes),
                    ["effective_quota_bytes"] = Arr(s.EffectiveQuotaBytes),
                }).ToArray()),
            });
        return new JsonObject
        {
            ["time_ms"] = Arr(TimeMs),
            ["nodes"] = nodes,
            ["promoted_bytes"] = Arr(PromotedBytes),
            ["demoted_bytes"] = Arr(DemotedBytes),
            ["hint_faults"] = Arr(HintFaults),
            ["app_accesses"] = Arr(AppAccesses),
            ["app_busy_ns"] = Arr(AppBusyNs),
            ["contexts"] = ctxs,
        };
    }
}

internal static class SeriesPadding
{
    public static void Pad(this RunSeries.ContextSeries c, int n)
    {
        while (c.SampleIntervalUs.Count < n) { c.SampleIntervalUs.Add(null); c.AggrIntervalUs.Add(null); }
        foreach (var s in c.Schemes) s.Pad(n);
    }

    public static void Pad(this RunSeries.SchemeSeries s, int n)
    {
        while (s.TriedBytes.Count < n) { s.TriedBytes.Add(null); s.AppliedBytes.Add(null); s.EffectiveQuotaBytes.Add(null); }
    }
}
