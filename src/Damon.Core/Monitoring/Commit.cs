using Damon.Core.Operations;
using Damon.Core.Probes;
using Damon.Core.Schemes;
using Damon.Core.Util;

namespace Damon.Core.Monitoring;

public static partial class DamonCore
{
    /// <summary>
    /// damon_valid_probe_params: with weighted probes the u8 hit counters must hold a whole window,
    /// and the weighted sums must fit in 32 bits.
    /// </summary>
    public static bool ValidProbeParams(DamonContext ctx) => ValidProbeParams(ctx.Probes, ctx.Attrs);

    public static bool ValidProbeParams(IReadOnlyList<DamonProbe> probes, MonitoringAttrs attrs)
    {
        bool weighted = false;
        foreach (var p in probes) weighted |= p.Weight != 0;
        if (!weighted)
            return true;
        ulong samples = attrs.AggrIntervalUs / Math.Max(attrs.SampleIntervalUs, 1);
        if (samples > byte.MaxValue)
            return false;
        ulong sum = 0;
        foreach (var p in probes)
        {
            ulong term = (ulong)p.Weight * samples;
            if (term > uint.MaxValue)
                return false;
            sum += term;
            if (sum > uint.MaxValue)
                return false;
        }
        return true;
    }

    /// <summary>damon_commit_target: take the source's pid and regions.</summary>
    private static void CommitTarget(Target dst, Target src, ulong srcMinRegionSz)
    {
        dst.Pid = src.Pid;
        CommitTargetRegions(dst, src, srcMinRegionSz);
    }

    /// <summary>Forget a charge resume point that names a target being removed.</summary>
    private static void ForgetChargeTarget(DamonContext ctx, Target t)
    {
        foreach (var s in ctx.Schemes)
        {
            if (s.Quota.ChargeTargetFrom == t)
            {
                s.Quota.ChargeTargetFrom = null;
                s.Quota.ChargeAddrFrom = 0;
            }
        }
    }

    /// <summary>damon_commit_targets: by index; an obsolete source target removes its counterpart.</summary>
    private static void CommitTargets(DamonContext dst, DamonContext src)
    {
        int i = 0;
        foreach (var dstTarget in dst.Targets.ToArray())
        {
            var srcTarget = i < src.Targets.Count ? src.Targets[i] : null;
            i++;
            if (srcTarget is null || srcTarget.Obsolete)
            {
                dst.DestroyTarget(dstTarget);
                ForgetChargeTarget(dst, dstTarget);
                continue;
            }
            CommitTarget(dstTarget, srcTarget, src.MinRegionSz);
        }
        for (int j = i; j < src.Targets.Count; j++)
        {
            var srcTarget = src.Targets[j];
            if (srcTarget.Obsolete)
                throw new DamonException(Errno.EINVAL, $"targets[{j}]: obsolete, but there is no running target at that index to remove");
            var t = new Target();
            CommitTarget(t, srcTarget, src.MinRegionSz);
            dst.AddTarget(t);
        }
    }

    /// <summary>damon_commit_probes: weights and filters, by index.</summary>
    private static void CommitProbes(DamonContext dst, DamonContext src)
    {
        int i = 0;
        for (; i < dst.Probes.Count && i < src.Probes.Count; i++)
            CommitProbe(dst.Probes[i], src.Probes[i]);
        if (dst.Probes.Count > i)
            dst.Probes.RemoveRange(i, dst.Probes.Count - i);
        for (; i < src.Probes.Count; i++)
        {
            var p = new DamonProbe();
            CommitProbe(p, src.Probes[i]);
            dst.Probes.Add(p);
        }
    }

    public static void CommitProbe(DamonProbe dst, DamonProbe src)
    {
        dst.Weight = src.Weight;
        int i = 0;
        for (; i < dst.Filters.Count && i < src.Filters.Count; i++)
            CommitProbeFilter(dst.Filters[i], src.Filters[i]);
        if (dst.Filters.Count > i)
            dst.Filters.RemoveRange(i, dst.Filters.Count - i);
        for (; i < src.Filters.Count; i++)
        {
            var f = src.Filters[i];
            dst.Filters.Add(new DamonFilter(f.Type, f.Matching, f.Allow, f.MemcgId));
        }
    }

    /// <summary>damon_commit_filter for probe filters.</summary>
    public static void CommitProbeFilter(DamonFilter dst, DamonFilter src)
    {
        dst.Type = src.Type;
        dst.Matching = src.Matching;
        dst.Allow = src.Allow;
        if (src.Type == DamonFilterType.Memcg)
            dst.MemcgId = src.MemcgId;
    }

    private static void CommitInto(DamonContext dst, DamonContext src)
    {
        dst.MaybeCorrupted = true;
        if (!KernelMath.IsPowerOfTwo(src.MinRegionSz))
            throw new DamonException(Errno.EINVAL, $"min_region_sz ({src.MinRegionSz}): must be a power of two");
        for (int i = 0; i < src.Schemes.Count; i++)
        {
            foreach (var g in src.Schemes[i].Quota.Goals)
            {
                if (g.Metric == DamosQuotaGoalMetric.NodeEligibleMemBp && src.Ops?.Id != OperationsId.Paddr)
                    throw new DamonException(Errno.EINVAL,
                        $"schemes[{i}].quota.goals: node_eligible_mem_bp needs the paddr operations set");
            }
        }
        if (!ValidProbeParams(src.Probes, src.Attrs))
            throw new DamonException(Errno.EINVAL,
                "probes: with weighted probes, aggr_interval/sample_interval must be at most 255 and the weighted sum must fit in 32 bits");
        // damon_commit_sample_control: checked here even when nothing else in attrs changes.
        src.Attrs.SampleControl.Validate();
        DamosCore.CommitSchemes(dst, src);
        CommitTargets(dst, src);
        // Schemes and targets first: set_attrs converts their results and reschedules them. A
        // change of the sample control alone is no change of the windows.
        if (dst.Attrs != src.Attrs with { AggrSamples = dst.Attrs.AggrSamples, SampleControl = dst.Attrs.SampleControl })
            SetAttrs(dst, src.Attrs);
        else
            dst.Attrs = dst.Attrs with { SampleControl = src.Attrs.SampleControl };
        dst.Pause = src.Pause;
        dst.DamosShared = src.DamosShared;
        dst.Ops = src.Ops;
        CommitProbes(dst, src);
        dst.AddrUnit = src.AddrUnit;
        dst.MinRegionSz = src.MinRegionSz;
        dst.MaybeCorrupted = false;
    }

    /// <summary>
    /// damon_commit_ctx: apply <paramref name="src"/>'s parameters to a possibly running
    /// <paramref name="dst"/>. The commit is first tried on a copy, so a rejected source leaves
    /// <paramref name="dst"/> untouched.
    /// </summary>
    public static void CommitCtx(DamonContext dst, DamonContext src)
    {
        CommitInto(CloneForCommitTest(dst), src);
        CommitInto(dst, src);
    }

    /// <summary>A copy of what a commit reads and writes, to try a commit on.</summary>
    private static DamonContext CloneForCommitTest(DamonContext c)
    {
        // No Ops: removing a target from the copy must not release the real target's resources.
        var copy = new DamonContext
        {
            AddrUnit = c.AddrUnit,
            MinRegionSz = c.MinRegionSz,
            Pause = c.Pause,
            Attrs = c.Attrs,
            PassedSampleIntervals = c.PassedSampleIntervals,
            NextAggregationSis = c.NextAggregationSis,
        };
        foreach (var t in c.Targets)
        {
            var tc = new Target(t.Pid);
            foreach (var r in t.Regions)
                tc.AddRegion(tc.NewRegion(r.Start, r.End));
            copy.Targets.Add(tc);
        }
        foreach (var s in c.Schemes)
        {
            var sc = new Damos(s.Pattern, s.Action);
            DamosCore.CommitScheme(sc, s);
            copy.Schemes.Add(sc);
        }
        foreach (var p in c.Probes)
        {
            var pc = new DamonProbe();
            CommitProbe(pc, p);
            copy.Probes.Add(pc);
        }
        return copy;
    }
}
