using Damon.Config.Schema;
using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Probes;

namespace Damon.Config.Engine;

/// <summary>
/// Config model ↔ engine context, the way damo's sysfs writer and the kernel's sysfs reader meet:
/// percent access rates become samples of the aggregation window, ages become aggregation
/// intervals, memcg paths become ids. Engine → model keeps the engine's own units (samples and
/// aggregation intervals) so the way back is exact.
/// </summary>
public static class ContextMapping
{
    /// <summary>DAMON_MIN_REGION_SZ; the sysfs interface uses max(it / addr_unit, 1).</summary>
    private const ulong MinRegionSzBytes = DamonContext.DefaultMinRegionSz;

    public static List<EngineContext> ToEngine(KdamondsSpec spec, IMemcgResolver? memcgs = null, ulong seed = 0)
    {
        memcgs ??= new MemcgPathTable();
        var result = new List<EngineContext>();
        for (int k = 0; k < spec.Kdamonds.Count; k++)
            for (int c = 0; c < spec.Kdamonds[k].Contexts.Count; c++)
                result.Add(ToEngine(spec.Kdamonds[k].Contexts[c], memcgs, seed, $"kdamonds[{k}].contexts[{c}]"));
        return result;
    }

    public static EngineContext ToEngine(ContextSpec spec, IMemcgResolver? memcgs = null, ulong seed = 0, string path = "")
    {
        memcgs ??= new MemcgPathTable();
        string P(string key) => path.Length == 0 ? key : path + "." + key;

        if (!OperationsIds.TryParse(spec.Ops, out var opsId))
            throw new ConfigException($"\"{spec.Ops}\" is not an operations set (vaddr, fvaddr, paddr)", P("ops"));

        var ctx = new DamonContext(seed);
        if (spec.AddrUnit == 0)
            throw new ConfigException("must not be 0", P("addr_unit"));
        if (spec.AddrUnit != 1 && opsId != OperationsId.Paddr)
            throw new ConfigException("only paddr supports an addr_unit other than 1", P("addr_unit"));
        ctx.AddrUnit = spec.AddrUnit;
        ctx.MinRegionSz = Math.Max(MinRegionSzBytes / spec.AddrUnit, 1);
        if (!ulong.IsPow2(ctx.MinRegionSz))
            throw new ConfigException($"{MinRegionSzBytes} / addr_unit = {ctx.MinRegionSz} must be a power of two (min_region_sz)", P("addr_unit"));
        ctx.Pause = spec.Pause;

        var iv = spec.Intervals;
        var attrs = new MonitoringAttrs
        {
            SampleIntervalUs = iv.SampleUs,
            AggrIntervalUs = iv.AggrUs,
            OpsUpdateIntervalUs = iv.OpsUpdateUs,
            IntervalsGoal = new IntervalsGoal(
                ToUint(iv.IntervalsGoal.AccessBp, P("intervals.intervals_goal.access_bp")),
                ToUint(iv.IntervalsGoal.Aggrs, P("intervals.intervals_goal.aggrs")),
                iv.IntervalsGoal.MinSampleUs, iv.IntervalsGoal.MaxSampleUs),
            MinNrRegions = spec.NrRegions.Min,
            MaxNrRegions = spec.NrRegions.Max,
            SampleControl = SampleControlMapping.ToEngine(spec.SampleControl, P),
        };
        Engine(() => DamonCore.SetAttrs(ctx, attrs), path);

        for (int i = 0; i < spec.Targets.Count; i++)
        {
            var ts = spec.Targets[i];
            var t = new Target(ts.Pid ?? 0) { Obsolete = ts.Obsolete };
            var ranges = ts.Regions.Select(r => new AddrRange(r.Start, r.End)).ToArray();
            Engine(() => DamonCore.SetRegions(t, ranges, ctx.MinRegionSz), P($"targets[{i}].regions"));
            ctx.AddTarget(t);
        }

        for (int i = 0; i < spec.Probes.Count; i++)
        {
            var ps = spec.Probes[i];
            var probe = new DamonProbe(ps.Weight);
            for (int j = 0; j < ps.Filters.Count; j++)
            {
                var f = ps.Filters[j];
                var type = f.FilterType == "memcg" ? DamonFilterType.Memcg : DamonFilterType.Anon;
                ulong memcgId = type == DamonFilterType.Memcg
                    ? MemcgId(memcgs, f.Path, P($"probes[{i}].filters[{j}].path"))
                    : 0;
                probe.Filters.Add(new DamonFilter(type, f.Matching, f.Allow, memcgId));
            }
            ctx.Probes.Add(probe);
        }
        if (!DamonCore.ValidProbeParams(ctx))
            throw new ConfigException("with weighted probes, aggr_us / sample_us must be at most 255 and the weighted sum must fit in 32 bits", P("probes"));

        for (int i = 0; i < spec.Schemes.Count; i++)
            Damon.Core.Schemes.DamosCore.AddScheme(ctx, SchemeMapping.ToEngine(spec.Schemes[i], iv, memcgs, P($"schemes[{i}]")));
        return new EngineContext(opsId, ctx);
    }

    public static ContextSpec FromEngine(DamonContext ctx, OperationsId opsId, IMemcgResolver memcgs)
    {
        var a = ctx.Attrs;
        bool hasPid = opsId != OperationsId.Paddr;
        return new ContextSpec
        {
            Ops = opsId.SysfsName(),
            AddrUnit = ctx.AddrUnit,
            Pause = ctx.Pause,
            Targets = ctx.Targets.Select(t => new TargetSpec
            {
                Pid = hasPid ? t.Pid : null,
                Obsolete = t.Obsolete,
                Regions = t.Regions.Select(r => new AddrRangeSpec(r.Start, r.End)).ToList(),
            }).ToList(),
            Intervals = new IntervalsSpec
            {
                SampleUs = a.SampleIntervalUs,
                AggrUs = a.AggrIntervalUs,
                OpsUpdateUs = a.OpsUpdateIntervalUs,
                IntervalsGoal = new IntervalsGoalSpec
                {
                    AccessBp = a.IntervalsGoal.AccessBp,
                    Aggrs = a.IntervalsGoal.Aggrs,
                    MinSampleUs = a.IntervalsGoal.MinSampleUs,
                    MaxSampleUs = a.IntervalsGoal.MaxSampleUs,
                },
            },
            NrRegions = new NrRegionsSpec { Min = a.MinNrRegions, Max = a.MaxNrRegions },
            SampleControl = SampleControlMapping.FromEngine(a.SampleControl),
            Probes = ctx.Probes.Select(p => new ProbeSpec
            {
                Weight = p.Weight,
                Filters = p.Filters.Select(f => new ProbeFilterSpec
                {
                    FilterType = f.Type == DamonFilterType.Memcg ? "memcg" : "anon",
                    Matching = f.Matching,
                    Allow = f.Allow,
                    Path = f.Type == DamonFilterType.Memcg ? MemcgPath(memcgs, f.MemcgId) : null,
                }).ToList(),
            }).ToList(),
            Schemes = ctx.Schemes.Select(s => SchemeMapping.FromEngine(s, memcgs)).ToList(),
        };
    }

    /// <summary>Runs an engine validation, reporting its rejection at <paramref name="path"/>.</summary>
    internal static void Engine(Action action, string path)
    {
        try
        {
            action();
        }
        catch (DamonException e)
        {
            throw new ConfigException($"rejected: {e.Message}", path, null, e);
        }
    }

    internal static uint ToUint(ulong v, string path) =>
        v <= uint.MaxValue ? (uint)v : throw new ConfigException($"{v} does not fit the kernel's 32-bit field", path);

    internal static ulong MemcgId(IMemcgResolver memcgs, string? memcgPath, string path)
    {
        if (memcgPath is null)
            throw new ConfigException("a memcg path is required", path);
        try
        {
            return memcgs.IdOf(memcgPath);
        }
        catch (ConfigException e) when (e.Path is null)
        {
            throw new ConfigException(e.Detail, path, null, e);
        }
    }

    internal static string MemcgPath(IMemcgResolver memcgs, ulong id) =>
        memcgs.PathOf(id) ?? throw new ConfigException($"memcg id {id} has no known cgroup path");
}
