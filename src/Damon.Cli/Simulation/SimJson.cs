using System.Text.Json;
using Damon.Core.Operations;
using Damon.Host;
using Damon.Host.Snapshots;

namespace Damon.Cli.Simulation;

/// <summary>
/// A simulated run for scripts: the request, every printed snapshot (addresses in bytes,
/// nr_accesses in samples, age in aggregation intervals), per-node usage and DAMOS stats.
/// </summary>
internal static class SimJson
{
    /// <param name="modules">With <c>--module</c>: the modules, whose stats parameters are written.</param>
    /// <param name="commits">The commits made during the run, in order.</param>
    /// <param name="stats">With <c>--stats_every</c>: the schemes over time (written as scheme_stats).</param>
    public static void Write(Stream output, SimSession session, IReadOnlyList<AggregationSnapshot> snapshots,
        ModuleRun? modules = null, IReadOnlyList<ModuleCommit>? commits = null, IReadOnlyList<SchemeStatsPoint>? stats = null)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        var sim = session.Sim;
        var status = session.Backend.Status(triedRegions: false, CancellationToken.None);
        w.WriteStartObject();
        w.WriteString("machine", sim.Machine.Spec.Name);
        w.WriteString("workload", session.Request.WorkloadSpec);
        w.WriteNumber("seed", session.Request.Seed);
        w.WriteNumber("duration_us", session.Request.DurationUs);
        w.WriteNumber("end_us", session.Backend.NowUs);
        if (session.WorkloadFinishedUs is ulong doneUs) w.WriteNumber("workload_finished_us", doneUs);
        else w.WriteNull("workload_finished_us");
        w.WriteStartArray("hot_ranges");
        foreach (var (s, e) in sim.HotRanges)
        {
            w.WriteStartObject();
            w.WriteNumber("start", s);
            w.WriteNumber("end", e);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("contexts");
        foreach (var sc in session.Contexts)
        {
            w.WriteStartObject();
            w.WriteNumber("kdamond_idx", sc.KdamondIdx);
            w.WriteNumber("context_idx", sc.ContextIdx);
            var spec = session.StatusOf(status, sc);
            w.WriteString("ops", sc.Ops.SysfsName());
            w.WriteNumber("sample_us", spec.Intervals.SampleUs);
            w.WriteNumber("aggr_us", spec.Intervals.AggrUs);
            w.WriteStartArray("schemes");
            foreach (var s in spec.Schemes)
            {
                w.WriteStartObject();
                w.WriteString("action", s.Action);
                StatsJson(w, s.Stats!);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (modules is not null)
        {
            // One module keeps its object of old; several are an array, with how they ran.
            if (modules.Modules.Count == 1)
                ModuleJson(w, "module", modules.Modules[0], commits);
            else
            {
                w.WriteString("module_kdamonds", modules.Shared ? "shared" : "separate");
                w.WriteStartArray("modules");
                foreach (var m in modules.Modules)
                    ModuleJson(w, null, m, commits);
                w.WriteEndArray();
            }
        }
        w.WriteStartArray("snapshots");
        foreach (var snap in snapshots)
        {
            w.WriteStartObject();
            w.WriteNumber("time_us", snap.TimeUs);
            w.WriteNumber("kdamond_idx", snap.Context.KdamondIdx);
            w.WriteNumber("context_idx", snap.Context.ContextIdx);
            w.WriteNumber("max_nr_accesses", snap.MaxNrAccesses);
            w.WriteStartArray("targets");
            foreach (var t in snap.Targets)
            {
                w.WriteStartObject();
                w.WriteNumber("target_idx", t.TargetIdx);
                if (t.Pid is int pid) w.WriteNumber("pid", pid);
                else w.WriteNull("pid");
                w.WriteStartArray("regions");
                foreach (var r in t.Regions)
                {
                    w.WriteStartObject();
                    w.WriteNumber("start", r.Start);
                    w.WriteNumber("end", r.End);
                    w.WriteNumber("nr_accesses", r.NrAccesses);
                    w.WriteNumber("age", r.Age);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (stats is not null)
            SchemeStatsSeries.WriteJson(w, stats);
        NodesJson(w, session.Backend);
        w.WriteEndObject();
    }

    /// <summary>A module's name, stats parameters and the commits made to it.</summary>
    private static void ModuleJson(Utf8JsonWriter w, string? property, SimModule module, IReadOnlyList<ModuleCommit>? commits)
    {
        if (property is null) w.WriteStartObject();
        else w.WriteStartObject(property);
        w.WriteString("name", module.Name);
        w.WriteStartObject("stats");
        foreach (var (k, v) in module.Stats)
            w.WriteNumber(k, v);
        foreach (var (k, v) in module.SignedStats)
            w.WriteNumber(k, v);
        w.WriteEndObject();
        w.WriteStartArray("commits");
        foreach (var c in (commits ?? []).Where(c => c.Module == module.Name))
        {
            w.WriteStartObject();
            w.WriteNumber("time_us", c.AtUs);
            w.WriteString("file", c.File);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A scheme's DAMOS stats as properties of the object being written.</summary>
    public static void StatsJson(Utf8JsonWriter w, Damon.Config.Schema.SchemeStatsSpec st)
    {
        w.WriteNumber("nr_tried", st.NrTried);
        w.WriteNumber("sz_tried", st.SzTried);
        w.WriteNumber("nr_applied", st.NrApplied);
        w.WriteNumber("sz_applied", st.SzApplied);
        w.WriteNumber("sz_ops_filter_passed", st.SzOpsFilterPassed);
        w.WriteNumber("qt_exceeds", st.QtExceeds);
    }

    public static void NodesJson(Utf8JsonWriter w, IDamonBackend backend)
    {
        var metrics = backend.Nodes();
        w.WriteStartArray("nodes");
        foreach (var n in metrics.Nodes)
        {
            w.WriteStartObject();
            w.WriteNumber("node", n.Node);
            w.WriteNumber("tier", n.Tier);
            w.WriteNumber("total_bytes", n.TotalBytes);
            w.WriteNumber("used_bytes", n.UsedBytes);
            w.WriteNumber("free_bytes", n.FreeBytes);
            w.WriteNumber("active_bytes", n.ActiveBytes);
            w.WriteNumber("migrated_in_bytes", n.MigratedInBytes);
            w.WriteNumber("migrated_out_bytes", n.MigratedOutBytes);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("promoted_bytes", metrics.PromotedBytes);
        w.WriteNumber("demoted_bytes", metrics.DemotedBytes);
    }
}
