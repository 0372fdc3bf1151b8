using System.Text.Json;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Sim.Memory;

namespace Damon.Cli.Simulation;

/// <summary>
/// A simulated run for scripts: the request, every printed snapshot (addresses in bytes,
/// nr_accesses in samples, age in aggregation intervals), per-node usage and DAMOS stats.
/// </summary>
internal static class SimJson
{
    /// <param name="module">With <c>--module</c>: the module, whose stats parameters are written.</param>
    /// <param name="commits">The commits made during the run, in order.</param>
    public static void Write(Stream output, SimSession session, IReadOnlyList<CapturedSnapshot> snapshots,
        SimModule? module = null, IReadOnlyList<ModuleCommit>? commits = null)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        var sim = session.Sim;
        w.WriteStartObject();
        w.WriteString("machine", sim.Machine.Spec.Name);
        w.WriteString("workload", session.Request.WorkloadSpec);
        w.WriteNumber("seed", session.Request.Seed);
        w.WriteNumber("duration_us", session.Request.DurationUs);
        w.WriteNumber("end_us", sim.NowUs);
        if (session.WorkloadFinishedUs is ulong doneUs) w.WriteNumber("workload_finished_us", doneUs);
        else w.WriteNull("workload_finished_us");
        w.WriteStartArray("hot_ranges");
        foreach (var (s, e) in WorkloadHints.HotRanges(sim.Workload))
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
            w.WriteString("ops", sc.OpsId.SysfsName());
            w.WriteNumber("sample_us", sc.Ctx.Attrs.SampleIntervalUs);
            w.WriteNumber("aggr_us", sc.Ctx.Attrs.AggrIntervalUs);
            w.WriteStartArray("schemes");
            foreach (var s in sc.Ctx.Schemes)
            {
                w.WriteStartObject();
                w.WriteString("action", s.Action.SysfsName());
                w.WriteNumber("nr_tried", s.Stat.NrTried);
                w.WriteNumber("sz_tried", s.Stat.SzTried);
                w.WriteNumber("nr_applied", s.Stat.NrApplied);
                w.WriteNumber("sz_applied", s.Stat.SzApplied);
                w.WriteNumber("sz_ops_filter_passed", s.Stat.SzOpsFilterPassed);
                w.WriteNumber("qt_exceeds", s.Stat.QtExceeds);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (module is not null)
        {
            w.WriteStartObject("module");
            w.WriteString("name", module.Name);
            w.WriteStartObject("stats");
            foreach (var (k, v) in module.Stats)
                w.WriteNumber(k, v);
            w.WriteEndObject();
            w.WriteStartArray("commits");
            foreach (var c in commits ?? [])
            {
                w.WriteStartObject();
                w.WriteNumber("time_us", c.AtUs);
                w.WriteString("file", c.File);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
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
        NodesJson(w, sim.Machine);
        w.WriteEndObject();
    }

    public static void NodesJson(Utf8JsonWriter w, Damon.Sim.Machine.SimMachine m)
    {
        w.WriteStartArray("nodes");
        foreach (var n in NodeUsage.Of(m))
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
        w.WriteNumber("promoted_bytes", m.NrPromotedPages << PageSizes.PageShift);
        w.WriteNumber("demoted_bytes", m.NrDemotedPages << PageSizes.PageShift);
    }
}
