using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Modules.Common;

namespace Damon.Modules.Shared;

/// <summary>
/// DAMON-X: every attached module's schemes in ONE paddr context with one set of monitoring
/// attributes (<see cref="SharedAttrs"/>) over the union of the modules' ranges, one target per
/// piece of it between module range edges. Modules are
/// installed, removed and re-tuned on the running kdamond through damon_call and damon_commit_ctx,
/// so the other modules' schemes keep their stats and tuned quotas (esz, charge window).
///
/// Conflict rule: schemes are ordered by what their action does to a region's pages — TIER's
/// promote, RECLAIM's pageout, TIER's demote, then the rest (LRU_SORT's hints), see
/// <see cref="ConflictRank"/> — and the context runs with <see cref="DamonContext.DamosShared"/>:
/// once a scheme has moved a region's pages in an apply round no later moving scheme is offered the
/// region. A cold region on the fast node that RECLAIM would page out (unaccessed for its min_age)
/// and TIER would demote is thus paged out; TIER demotes the cold regions RECLAIM does not take.
/// Every module sees its own region ages (<see cref="RegionOwnAges"/>): its own actions restart
/// them, no other module's does, as with separate kdamonds. Within one class, attach order decides.
/// </summary>
public sealed class SharedContext(IDamonMetrics? metrics = null, ulong seed = 0)
{
    /// <summary>The kdamond's name while running, as the modules' kdamond_pid would show.</summary>
    public const string KdamondName = "damon_x";

    private readonly List<ISharedModule> _modules = [];
    private Dictionary<ISharedModule, Damos[]> _schemes = new(ReferenceEqualityComparer.Instance);
    private DamonOperations? _paddrOps;
    private MonitoringAttrs? _baseAttrs;
    private readonly Dictionary<string, int> _ageOwners = [];

    public IDamonMetrics? Metrics { get; } = metrics;
    /// <summary>The shared context; made by the first <see cref="Start"/> and kept across restarts.</summary>
    public DamonContext? Ctx { get; private set; }
    public Kdamond? Kdamond { get; private set; }
    public bool IsRunning => Kdamond is { Finished: false };
    /// <summary>Attached modules, in attach order.</summary>
    public IReadOnlyList<ISharedModule> Modules => _modules;

    /// <summary>The running schemes <paramref name="module"/> contributed (empty before start or once removed).</summary>
    public IReadOnlyList<Damos> SchemesOf(ISharedModule module) => _schemes.TryGetValue(module, out var l) ? l : [];

    /// <summary>
    /// The conflict rule's order: promotion, then pageout, then demotion, then the rest (hints).
    /// Pageout before demotion: a region RECLAIM takes is one unaccessed for its min_age, which
    /// its operator asked to leave memory; demoting it first would only move it to the slow tier
    /// to be paged out from there later (the kernel's own DAMOS pageout, reclaim_pages(), does not
    /// demote either: no_demotion). TIER demotes what RECLAIM does not take (younger cold
    /// regions, or beyond RECLAIM's quota). Promotion and pageout never want the same region
    /// (accessed vs unaccessed).
    /// </summary>
    public static int ConflictRank(DamosAction action) => action switch
    {
        DamosAction.MigrateHot => 0,
        DamosAction.Pageout => 1,
        DamosAction.MigrateCold => 2,
        _ => 3,
    };

    /// <summary>Attach before the start, or install on the running kdamond (done when the returned call is).</summary>
    public Task Install(ISharedModule module)
    {
        if (_modules.Any(m => ReferenceEquals(m, module) || m.Name == module.Name))
            throw new DamonException(Errno.EBUSY, $"{module.Name}: already attached to the shared context");
        return Change([.. _modules, module]);
    }

    /// <summary>Detach before the start, or remove from the running kdamond; the others keep running.</summary>
    public Task Remove(ISharedModule module)
    {
        if (!_modules.Any(m => ReferenceEquals(m, module)))
            throw new DamonException(Errno.ENOENT, $"{module.Name}: not attached to the shared context");
        return Change([.. _modules.Where(m => !ReferenceEquals(m, module))]);
    }

    /// <summary>commit_inputs for one module: its changed parameters re-staged and committed.</summary>
    public Task Retune(ISharedModule module)
    {
        if (!_modules.Any(m => ReferenceEquals(m, module)))
            throw new DamonException(Errno.ENOENT, $"{module.Name}: not attached to the shared context");
        return Change([.. _modules]);
    }

    /// <summary>damon_start of the one shared kdamond (exclusively: it stands for every module), with each module's update call.</summary>
    public Kdamond Start(DamonEngine engine)
    {
        if (IsRunning)
            throw new DamonException(Errno.EBUSY, $"{KdamondName}: already running on {Kdamond!.Name}");
        if (_modules.Count == 0)
            throw new DamonException(Errno.EINVAL, $"{KdamondName}: no module attached");
        _paddrOps = engine.Registry.Get(OperationsId.Paddr)
            ?? throw new DamonException(Errno.EINVAL, $"{KdamondName}: the paddr operations set is not registered");
        var ctx = Ctx ?? new DamonContext(seed) { Ops = _paddrOps, Metrics = Metrics };
        _baseAttrs = null;
        Recommit(ctx, _modules);
        var k = engine.Start([ctx], exclusive: true)[0];
        Ctx = ctx;
        Kdamond = k;
        k.Call(UpdateModules, repeat: true);
        return k;
    }

    /// <summary>
    /// The context the attached modules would start with (attrs, schemes in the conflict rule's
    /// order with their range filters, one target per piece of the union, DamosShared), for a
    /// backend that runs it itself: the real kernel's user mode.
    /// </summary>
    public DamonContext Stage(DamonOperations paddrOps) => StageUnion(_modules, paddrOps, null).Staged;

    public void Stop()
    {
        if (Kdamond is not null)
            DamonEngine.Stop([Kdamond]);
    }

    private Task Change(List<ISharedModule> next)
    {
        // Staged now, running or not, so bad parameters are refused at once as a start would
        // refuse them: inside the kdamond's call a refusal would only fault a task nobody awaits.
        if (_paddrOps is not null)
            StageUnion(next, _paddrOps, Ctx?.Attrs);
        if (!IsRunning)
        {
            _modules.Clear();
            _modules.AddRange(next);
            return Task.CompletedTask;
        }
        return Kdamond!.Call(c => Recommit(c, next)).Task;
    }

    private void UpdateModules(DamonContext c)
    {
        foreach (var m in _modules)
            m.Update(c, SchemesOf(m));
    }

    /// <summary>
    /// Stage the union and commit it into <paramref name="running"/>. damon_commit_schemes pairs
    /// schemes by index, so first the running list is laid out as the staged one: each module's
    /// running schemes where its staged ones go (a removed module's dropped, a new module's fresh),
    /// then the commit carries every kept scheme's stats and quota state over.
    /// </summary>
    private void Recommit(DamonContext running, IReadOnlyList<ISharedModule> nextModules)
    {
        // A copy: the caller may pass the attached list itself, which is rewritten at the end.
        List<ISharedModule> next = [.. nextModules];
        var (staged, owners, baseAttrs) = StageUnion(next, _paddrOps!, _baseAttrs == null ? null : running.Attrs);
        var before = running.Schemes.ToList();
        var layout = new List<Damos>();
        var map = new Dictionary<ISharedModule, Damos[]>(ReferenceEqualityComparer.Instance);
        foreach (var m in next)
            map[m] = new Damos[owners.Count(o => ReferenceEquals(o.Module, m))];
        for (int i = 0; i < staged.Schemes.Count; i++)
        {
            var (m, j) = owners[i];
            var own = SchemesOf(m);
            var s = j < own.Count ? own[j] : new Damos(staged.Schemes[i].Pattern, staged.Schemes[i].Action);
            if (j >= own.Count)
                DamosCore.SetNextApplySis(s, running);
            layout.Add(s);
            map[m][j] = s;
        }
        running.Schemes.Clear();
        running.Schemes.AddRange(layout);
        try
        {
            DamonCore.CommitCtx(running, staged);
        }
        catch
        {
            // The commit refused before touching the context: put the old list back.
            running.Schemes.Clear();
            running.Schemes.AddRange(before);
            throw;
        }
        _schemes = map;
        _baseAttrs = baseAttrs;
        _modules.Clear();
        _modules.AddRange(next);
    }

    /// <summary>
    /// The union of the modules' staged contexts: <see cref="SharedAttrs.Union"/> of their attrs
    /// (the running, possibly tuned, attrs are kept while that union does not change), their
    /// schemes in the conflict rule's order with each one's owner and index in its module, and
    /// one target over the union of their ranges.
    /// </summary>
    private (DamonContext Staged, List<(ISharedModule Module, int Index)> Owners, MonitoringAttrs BaseAttrs) StageUnion(
        IReadOnlyList<ISharedModule> modules, DamonOperations paddrOps, MonitoringAttrs? runningAttrs)
    {
        if (modules.Count == 0)
            throw new DamonException(Errno.EINVAL, $"{KdamondName}: no module left; stop the shared context instead");
        var parts = modules.Select(m => (Module: m, Ctx: m.Stage(paddrOps))).ToList();
        var first = parts[0].Ctx;
        foreach (var (m, c) in parts)
        {
            if (c.AddrUnit != first.AddrUnit)
                throw new ModuleParamException("addr_unit", $"modules sharing a context must agree ({parts[0].Module.Name}: {first.AddrUnit}, {m.Name}: {c.AddrUnit})");
            if (c.Probes.Count != 0 || c.Attrs.SampleControl != first.Attrs.SampleControl)
                throw new DamonException(Errno.EINVAL, $"{m.Name}: probes and sample controls are not combined in a shared context");
        }
        var union = SharedAttrs.UnionRanges(parts.SelectMany(p => RangesOf(p.Ctx)));
        var ownRanges = parts.Select(p => SharedAttrs.UnionRanges(RangesOf(p.Ctx))).ToList();
        var (minNr, maxNr) = SharedAttrs.RegionBounds(
            [.. parts.Select((p, i) => (p.Ctx.Attrs, ownRanges[i].Aggregate(0UL, (sum, r) => sum + (r.End - r.Start))))],
            union.Aggregate(0UL, (sum, r) => sum + (r.End - r.Start)));
        var baseAttrs = SharedAttrs.Union([.. parts.Select(p => p.Ctx.Attrs)]) with { MinNrRegions = minNr, MaxNrRegions = maxNr };
        var staged = new DamonContext(seed) { Ops = paddrOps, Metrics = Metrics, DamosShared = true, AddrUnit = first.AddrUnit };
        staged.MinRegionSz = parts.Max(p => p.Ctx.MinRegionSz);
        DamonCore.SetAttrs(staged, runningAttrs is not null && baseAttrs == _baseAttrs ? runningAttrs : baseAttrs);

        // A module's schemes act only within its own monitoring range, as a module alone never
        // sees the other modules' memory: where the union is wider, a target core filter
        // (DAMOS_FILTER_TYPE_TARGET) allows each piece inside the range and the rest is rejected
        // by default. The apply round then skips the foreign pieces for the scheme as whole
        // targets (DamosCore.CoreFiltersRejectTarget), where addr filters were asked per region.
        var pieces = SharedAttrs.Pieces(union, ownRanges);
        foreach (var (p, own) in parts.Zip(ownRanges))
        {
            int ageOwner = AgeOwnerOf(p.Module);
            foreach (var s in p.Ctx.Schemes)
                s.AgeOwner = ageOwner;
            if (own.SequenceEqual(union))
                continue;
            var inside = pieces.Select((piece, idx) => (piece, idx)).Where(x => own.Any(r => r.Start <= x.piece.Start && x.piece.End <= r.End)).ToList();
            foreach (var s in p.Ctx.Schemes)
                foreach (var (_, idx) in inside)
                    s.AddFilter(new DamosFilter(DamosFilterType.Target, matching: true, allow: true) { TargetIdx = idx });
        }

        var owners = new List<(ISharedModule, int)>();
        var ordered = parts
            .SelectMany((p, mi) => p.Ctx.Schemes.Select((s, j) => (p.Module, Mi: mi, J: j, Scheme: s)))
            .OrderBy(x => ConflictRank(x.Scheme.Action)).ThenBy(x => x.Mi).ThenBy(x => x.J);
        foreach (var x in ordered)
        {
            DamosCore.AddScheme(staged, x.Scheme);
            owners.Add((x.Module, x.J));
        }

        // One target per piece of the union between module range boundaries: DAMON merges
        // regions only within a target, so no region straddles a module's edge and carries the
        // other side's nr_accesses and age into the module's range.
        foreach (var piece in pieces)
        {
            var target = new Target();
            staged.AddTarget(target);
            DamonCore.SetRegions(target, [piece], staged.MinRegionSz);
        }
        return (staged, owners, baseAttrs);
    }

    /// <summary>
    /// The module's owner number for <see cref="Damos.AgeOwner"/>: given at its first staging and
    /// kept for the context's life, so removing one module does not hand its ages to another.
    /// </summary>
    private int AgeOwnerOf(ISharedModule m)
    {
        if (!_ageOwners.TryGetValue(m.Name, out int owner))
            _ageOwners[m.Name] = owner = _ageOwners.Count;
        return owner;
    }

    private static IEnumerable<AddrRange> RangesOf(DamonContext c) =>
        c.Targets.SelectMany(t => t.Regions).Select(r => new AddrRange(r.Start, r.End));
}
