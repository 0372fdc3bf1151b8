using Damon.Core.Monitoring;
using Damon.Core.Schemes;

namespace Damon.Core.Operations;

/// <summary>One action the test operations set carried out.</summary>
public readonly record struct AppliedAction(int TargetIdx, DamosAction Action, ulong Start, ulong End, ulong SzApplied);

/// <summary>
/// An in-memory operations set whose accessed bits the test controls, and whose DAMOS actions are
/// bookkeeping: each application is logged and its bytes counted, so the core and DAMOS can be
/// tested exactly, without a machine. Kept beside the real backends, like the kernel's test doubles.
/// </summary>
public sealed class TestOperations(OperationsId id = OperationsId.Vaddr,
    OpsCallbacks callbacks = OpsCallbacks.PrepareAccessChecks | OpsCallbacks.CheckAccesses
        | OpsCallbacks.GetSchemeScore | OpsCallbacks.ApplyScheme) : DamonOperations
{
    /// <summary>Bytes ops filters look at one at a time, like folios.</summary>
    public const ulong PageSize = 4096;

    public override OperationsId Id { get; } = id;
    public override OpsCallbacks Callbacks { get; } = callbacks;

    /// <summary>Whether an address of a target was accessed in the last sampling interval.</summary>
    public Func<Target, ulong, bool> IsAccessed { get; set; } = static (_, _) => false;

    /// <summary>Whether the page at an address is of a filter's type (anon, active, young, ...).</summary>
    public Func<Target, ulong, DamosFilter, bool> PageIsOfType { get; set; } = static (_, _, _) => false;

    /// <summary>Whether the folio at an address is of a probe filter's type (anon, memcg).</summary>
    public Func<Target, ulong, Probes.DamonFilter, bool> FolioIsOfType { get; set; } = static (_, _, _) => false;

    /// <summary>What init does for a target without regions (vaddr: the three regions).</summary>
    public Action<DamonContext, Target>? InitRegions { get; set; }

    /// <summary>Targets the test has declared dead (target_valid).</summary>
    public HashSet<Target> DeadTargets { get; } = [];

    public List<AppliedAction> Applied { get; } = [];
    /// <summary>Keep <see cref="Applied"/> (off for benchmarks, where the list would grow).</summary>
    public bool LogApplied { get; set; } = true;

    public ulong NrPrepareCalls { get; private set; }
    public ulong NrCheckCalls { get; private set; }

    public override void Init(DamonContext ctx)
    {
        if (InitRegions is null)
            return;
        foreach (var t in ctx.Targets)
            if (t.NrRegions == 0)
                InitRegions(ctx, t);
    }

    public override void PrepareAccessChecks(DamonContext ctx)
    {
        NrPrepareCalls++;
        foreach (var t in ctx.Targets)
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
                r.SamplingAddr = ctx.Random.Next(r.Start, r.End);
    }

    public override uint CheckAccesses(DamonContext ctx)
    {
        NrCheckCalls++;
        uint max = 0;
        var isAccessed = IsAccessed;
        foreach (var t in ctx.Targets)
        {
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            {
                DamonCore.UpdateRegionAccessRate(r, isAccessed(t, r.SamplingAddr));
                if (r.NrAccesses > max)
                    max = r.NrAccesses;
            }
        }
        return max;
    }

    /// <summary>
    /// apply_probes (§2.14): count, per probe, the samples whose folio passes the probe's filters;
    /// in attributes-only mode also pick the sampling addresses.
    /// </summary>
    public override uint ApplyProbes(DamonContext ctx, bool setSamples, bool returnMaxWsum)
    {
        uint maxWsum = 0;
        var probes = ctx.Probes;
        foreach (var t in ctx.Targets)
        {
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            {
                if (setSamples)
                    r.SamplingAddr = ctx.Random.Next(r.Start, r.End);
                uint wsum = 0;
                for (int i = 0; i < probes.Count && i < Region.MaxProbes; i++)
                {
                    if (probes[i].Passes((this, t, r.SamplingAddr), static (s, f) => s.Item1.FolioIsOfType(s.t, s.SamplingAddr, f)))
                        r.ProbeHits[i]++;
                    wsum += r.ProbeHits[i] * probes[i].Weight;
                }
                maxWsum = Math.Max(maxWsum, wsum);
            }
        }
        return returnMaxWsum ? maxWsum : 0;
    }

    /// <summary>The paddr score table: each action prefers the regions it helps most.</summary>
    public override int GetSchemeScore(DamonContext ctx, Target t, Region r, Damos s) => s.Action switch
    {
        DamosAction.Pageout or DamosAction.Cold or DamosAction.LruDeprio or DamosAction.MigrateCold
            => DamosScores.ColdScore(ctx, r, s),
        DamosAction.LruPrio or DamosAction.MigrateHot => DamosScores.HotScore(ctx, r, s),
        _ => DamosQuota.MaxScore,
    };

    public override ulong ApplyScheme(DamonContext ctx, Target t, Region r, Damos s, out ulong szOpsFilterPassed)
    {
        ulong passed;
        if (s.OpsFilters.Count == 0)
        {
            passed = r.Size;
        }
        else
        {
            passed = 0;
            for (ulong addr = r.Start; addr < r.End; addr += PageSize)
            {
                ulong pageEnd = Math.Min(addr + PageSize, r.End);
                if (!DamosCore.OpsFilterOut(s, (ops: this, t, addr), static (f, page) => page.ops.PageIsOfType(page.t, page.addr, f)))
                    passed += pageEnd - addr;
            }
        }
        ulong applied = s.Action == DamosAction.Stat ? 0 : passed;
        // stat reports ops-filter-passed bytes only when it has ops filters to pass.
        szOpsFilterPassed = s.Action == DamosAction.Stat && s.OpsFilters.Count == 0 ? 0 : passed;
        if (LogApplied)
            Applied.Add(new AppliedAction(ctx.TargetIndex(t), s.Action, r.Start, r.End, applied));
        return applied;
    }

    public override bool TargetValid(Target t) => !DeadTargets.Contains(t);

    /// <summary>Total bytes applied for an action over the whole log.</summary>
    public ulong SzApplied(DamosAction action)
    {
        ulong sz = 0;
        foreach (var a in Applied)
            if (a.Action == action) sz += a.SzApplied;
        return sz;
    }
}
