using Damon.Config;
using Damon.Config.Engine;
using Damon.Config.Schema;
using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Host;
using Damon.Host.Engine;
using Damon.Host.Metrics;
using Damon.Host.Snapshots;
using Damon.Linux.Backend.Profile;
using Damon.Linux.Backend.Snapshots;
using Damon.Linux.Backend.UserMode;
using Damon.Linux.Metrics;
using Damon.Linux.Procfs;
using Damon.Linux.Sysfs;

namespace Damon.Linux.Backend;

/// <summary>
/// The host contract on a real kernel's DAMON, through its sysfs admin tree.
/// <see cref="LinuxBackendMode.Kernel"/>: the spec (plus one monitoring scheme per target) is
/// written with damo's protocol and turned on; the kernel runs the schemes. <see cref="LinuxBackendMode.User"/>:
/// the kernel runs only the monitoring schemes; each aggregation Damon installs the kernel's regions
/// into an in-process context and runs its own DAMOS there (<see cref="UserModeDriver"/>), acting
/// through move_pages/process_madvise and reading quota-goal metrics from /proc and /sys, so goals
/// the running kernel lacks (node_mem_used_bp on 6.12) still work. In both modes every aggregation
/// raises <see cref="Aggregated"/> with the kernel's regions, read by update_schemes_tried_regions.
/// A kdamond that turned itself off (its processes exited) ends the run with
/// <see cref="RunEndReason.TargetsGone"/>. Refusals are one line: <see cref="BackendRefusedException"/>
/// for what the kernel or user mode lacks, <see cref="SysfsException"/> for what the kernel refused.
/// </summary>
public sealed class LinuxBackend : IDamonBackend
{
    private readonly LinuxBackendOptions _o;
    private readonly ISysfsTree _tree;
    private readonly KernelDamon _kernel;
    private readonly KdamondsSysfsReader _reader;
    private readonly IKernelPacer _pacer;
    private readonly UserModeProblems _problems;
    private readonly List<Entry> _entries = [];
    private readonly List<TriedRegionValues> _scratch = [];
    private readonly BackendStop _stop;
    private readonly ulong _originNs;
    private IUserModeActions? _actions;
    private LinuxMetrics? _linuxMetrics;
    private Dictionary<int, ulong[]>? _nodeVmstatAtStart;
    private VmstatSnapshot? _vmstatAtStart;

    public LinuxBackend(LinuxBackendOptions options)
    {
        _o = options;
        _stop = new BackendStop(StopKernel);
        _tree = options.Tree;
        if (!_tree.DirExists("kdamonds"))
            throw new BackendRefusedException(
                "damon: this kernel has no DAMON sysfs interface (no kdamonds/ under the admin root; CONFIG_DAMON_SYSFS is off or DAMON is not built)");
        _pacer = options.Pacer ?? new RealTimePacer();
        _originNs = _pacer.NowNs;
        _kernel = new KernelDamon(_tree, _pacer.Sleep);
        _reader = new KdamondsSysfsReader(_tree);
        _problems = new UserModeProblems { Notices = options.Notices };
        Features = DamonSysfsFeatures.Detect(_tree);
        Capabilities = new BackendCapabilities
        {
            Ops = [.. Features.AvailOperations.Select(n => OperationsIds.TryParse(n, out var id) ? id : (OperationsId?)null)
                .Where(id => id is not null).Select(id => id!.Value)],
            OnlineCommit = true,
            TriedRegions = Features.TriedRegions,
            ProcessNodeUsage = true,
            InProcessEngine = false,
            Missing = MissingLines(Features, options.Mode),
        };
    }

    /// <summary>What the running kernel's admin tree offers.</summary>
    public DamonSysfsFeatures Features { get; }

    public LinuxBackendMode Mode => _o.Mode;

    /// <summary>Failures user mode survived (move_pages errnos by kind, dropped targets).</summary>
    public UserModeProblems Problems => _problems;

    /// <summary>Where the aggregation rounds spent their time (the update command, the read, user mode's DAMOS).</summary>
    public RoundTimes Times { get; } = new();

    public string Name => _o.Mode == LinuxBackendMode.Kernel ? "linux-kernel" : "linux-user";

    public BackendCapabilities Capabilities { get; }

    public ulong NowUs => (_pacer.NowNs - _originNs) / 1000;

    public IReadOnlyList<BackendContext> Contexts => [.. _entries.Select(e => e.Place)];

    public event Action<AggregationSnapshot>? Aggregated;

    public event Action<RunSlice>? SliceEnded;

    /// <summary>Null: modules start through <see cref="Start(IReadOnlyList{ContextRequest}, bool)"/> in both modes.</summary>
    public IEngineHost? EngineHost => null;

    /// <summary>User mode's in-process context of a started context (null in kernel mode).</summary>
    public DamonContext? EngineContextOf(BackendContext place) => _entries.FirstOrDefault(e => e.Place == place)?.Ctx;

    private sealed class Entry(BackendContext place, ContextSpec spec, EngineContext built, IMemcgResolver memcgs)
    {
        public BackendContext Place { get; } = place;
        public ContextSpec Spec { get; set; } = spec;
        public EngineContext Built { get; set; } = built;
        public IMemcgResolver Memcgs { get; } = memcgs;
        public int NrTargets => Spec.Targets.Count;
        /// <summary>Index of the first monitoring scheme: after the context's own in kernel mode, 0 in user mode.</summary>
        public int FirstMonitorIdx { get; set; }
        public DamonContext? Ctx { get; set; }
        public UserModeDriver? Driver { get; set; }
        public bool Gone { get; set; }
    }

    // ---- start ------------------------------------------------------------------------------------

    public IReadOnlyList<BackendContext> Start(KdamondsSpec spec, IMemcgResolver? memcgs = null) =>
        StartSpec(spec, memcgs, names: null);

    public IReadOnlyList<BackendContext> Start(IReadOnlyList<ContextRequest> contexts, bool exclusive)
    {
        var table = new MemcgPathTable();
        var spec = new KdamondsSpec();
        foreach (var req in contexts)
            spec.Kdamonds.Add(new KdamondSpec { Contexts = [ContextMapping.FromEngine(req.Built.Context, req.Built.OpsId, table)] });
        var started = StartSpec(spec, table, [.. contexts.Select(c => c.Name)]);
        // A shared context's conflict rule (DamonContext.DamosShared, DAMON-X) and its schemes'
        // age owners have no sysfs file: the spec round trip drops them (keeping the schemes'
        // order), so the engine that runs the schemes gets them here.
        for (int k = 0; k < contexts.Count; k++)
            if (_entries[k].Ctx is { } ctx)
            {
                var built = contexts[k].Built.Context;
                ctx.DamosShared = built.DamosShared;
                for (int i = 0; i < ctx.Schemes.Count && i < built.Schemes.Count; i++)
                    ctx.Schemes[i].AgeOwner = built.Schemes[i].AgeOwner;
            }
        return started;
    }

    private IReadOnlyList<BackendContext> StartSpec(KdamondsSpec spec, IMemcgResolver? memcgs, IReadOnlyList<string?>? names)
    {
        // This backend's own kdamonds, stopped or gone, may still read "on" while they finish their
        // last iteration: wait for "off", bounded (20 reads 50 ms apart), before refusing.
        if (_entries.Count > 0 && _entries.All(e => e.Gone))
            for (int read = 0; read < 20 && AnyKdamondOn(); read++)
                _pacer.Sleep(TimeSpan.FromMilliseconds(50));
        if (_entries.Any(e => !e.Gone) || AnyKdamondOn())
            throw new DamonException(Errno.EBUSY,
                "kdamonds: a kdamond is already running (the kernel refuses nr_kdamonds changes while one runs); stop it first");
        memcgs ??= _o.Mode == LinuxBackendMode.User ? Metrics().Memcgs : new MemcgPathTable();
        var (kspec, staged) = Stage(spec, memcgs);
        RefuseMissing(kspec);

        _entries.Clear();
        StartKernel(kspec);
        ulong now = _pacer.NowNs;
        _vmstatAtStart = TryVmstat();
        _nodeVmstatAtStart = NodeVmstat();
        foreach (var (k, c, cs, built) in staged)
        {
            var place = new BackendContext(k, c, built.OpsId, names is null ? null : names[k]);
            var e = new Entry(place, cs, built, memcgs) { FirstMonitorIdx = _o.Mode == LinuxBackendMode.Kernel ? cs.Schemes.Count : 0 };
            if (_o.Mode == LinuxBackendMode.User)
                StartEngine(e, now);
            _entries.Add(e);
        }
        return Contexts;
    }

    /// <summary>
    /// The tree to write, and each context as the backend runs it: paddr targets without regions
    /// get the System RAM default (sysfs does not pick one), every context is validated by the
    /// engine mapping, and user mode refuses what it cannot do.
    /// </summary>
    private (KdamondsSpec Kernel, List<(int K, int C, ContextSpec Spec, EngineContext Built)> Staged) Stage(KdamondsSpec spec, IMemcgResolver memcgs)
    {
        var kspec = new KdamondsSpec();
        var staged = new List<(int, int, ContextSpec, EngineContext)>();
        for (int k = 0; k < spec.Kdamonds.Count; k++)
        {
            var kd = new KdamondSpec { RefreshMs = spec.Kdamonds[k].RefreshMs };
            for (int c = 0; c < spec.Kdamonds[k].Contexts.Count; c++)
            {
                var cs = WithDefaultRegions(spec.Kdamonds[k].Contexts[c]);
                var built = ContextMapping.ToEngine(cs, memcgs, _o.Seed, $"kdamonds[{k}].contexts[{c}]");
                if (_o.Mode == LinuxBackendMode.User)
                    UserModeSupport.Check(built.Context, built.OpsId, Actions().CheckScheme);
                kd.Contexts.Add(MonitorSchemes.With(cs, _o.Mode == LinuxBackendMode.Kernel ? cs.Schemes : []));
                staged.Add((k, c, cs, built));
            }
            kspec.Kdamonds.Add(kd);
        }
        return (kspec, staged);
    }

    private void RefuseMissing(KdamondsSpec kspec)
    {
        var missing = Features.Missing(kspec);
        if (missing.Count == 0)
            return;
        string hint = _o.Mode == LinuxBackendMode.Kernel && missing.Any(m => m.Contains("quota goal", StringComparison.Ordinal))
            ? " (user mode runs such schemes in Damon on this kernel)" : "";
        throw new BackendRefusedException($"damon: {string.Join("; ", missing)}{hint}");
    }

    private ContextSpec WithDefaultRegions(ContextSpec cs)
    {
        if (cs.Ops != "paddr" || cs.Targets.All(t => t.Regions.Count != 0))
            return cs;
        var layout = _o.Layout ?? new ProcIomemLayout();
        if (!SystemRams.TryFindSystemRams(layout, cs.AddrUnit, out ulong start, out ulong end))
            throw new BackendRefusedException("damon: paddr target without regions: /proc/iomem shows no System RAM (its addresses read as 0 unless run as root)");
        return new ContextSpec
        {
            Ops = cs.Ops, AddrUnit = cs.AddrUnit, Intervals = cs.Intervals, NrRegions = cs.NrRegions, Probes = cs.Probes,
            SampleControl = cs.SampleControl, Pause = cs.Pause, Schemes = cs.Schemes,
            Targets = [.. cs.Targets.Select(t => t.Regions.Count != 0 ? t
                : new TargetSpec { Pid = t.Pid, Obsolete = t.Obsolete, Regions = [new AddrRangeSpec(start, end)] })],
        };
    }

    private void StartEngine(Entry e, ulong nowNs)
    {
        var ctx = new DamonContext(_o.Seed);
        DamonCore.CommitCtx(ctx, e.Built.Context);
        new UserModeOperations(e.Built.OpsId, Actions(), _problems).AttachTo(ctx);
        ctx.Metrics = _o.Metrics ?? Metrics();
        e.Ctx = ctx;
        e.Driver = new UserModeDriver(ctx);
        e.Driver.Start(nowNs);
    }

    private IUserModeActions Actions() => _actions ??= _o.Actions
        ?? new LinuxUserModeActions(new ProcPageSource(_o.PaddrPids), new LinuxPageSyscalls(), _problems, _o.Layout ?? new ProcIomemLayout(), times: Times);

    private LinuxMetrics Metrics() => _linuxMetrics ??= new LinuxMetrics();

    // ---- run --------------------------------------------------------------------------------------

    public RunEnd Run(RunLimit limit, CancellationToken cancel)
    {
        if (!_stop.TryEnterRun())
            return new RunEnd(RunEndReason.Stopped, NowUs);
        ulong endUs = limit.EndUs(NowUs);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, _stop.Token);
        var reason = RunEndReason.LimitReached;
        ulong endedUs;
        try
        {
            while (true)
            {
                if (_stop.Requested) { reason = RunEndReason.Stopped; break; }
                if (cancel.IsCancellationRequested) { reason = RunEndReason.Cancelled; break; }
                if (NowUs >= endUs) break;
                if (_entries.All(e => e.Gone)) { reason = RunEndReason.TargetsGone; break; }
                ulong aggrUs = _entries.Where(e => !e.Gone).Min(e => e.Spec.Intervals.AggrUs);
                if (!_pacer.WaitForAggregation(aggrUs, linked.Token))
                    continue;
                Poll();
                SliceEnded?.Invoke(new RunSlice(NowUs, NowUs >= endUs || _entries.All(e => e.Gone)));
            }
        }
        finally
        {
            endedUs = NowUs;
            // `off` waits for the kdamond to exit; the run ended when it was asked to.
            _stop.LeaveRun();
        }
        return new RunEnd(reason, endedUs);
    }

    /// <summary>
    /// One aggregation of every running kdamond: update_schemes_tried_regions (the kernel answers
    /// at the monitoring schemes' next apply), read each context's regions, run user mode's DAMOS
    /// on them, raise the event. A kdamond found off has lost its targets.
    /// </summary>
    private void Poll()
    {
        foreach (var group in _entries.Where(e => !e.Gone).GroupBy(e => e.Place.KdamondIdx).ToList())
        {
            int k = group.Key;
            long t0 = RoundTimes.Now();
            if (!TryCommand(k, "update_schemes_tried_regions"))
            {
                foreach (var e in group)
                    e.Gone = true;
                continue;
            }
            Times.AddUpdate(t0);
            foreach (var e in group)
            {
                long t1 = RoundTimes.Now();
                var snap = MonitorSchemes.Read(_reader, k, e.Place.ContextIdx, e.FirstMonitorIdx, e.NrTargets, _pacer.NowNs, _scratch);
                Times.AddRead(t1, snap.Targets.Sum(t => t.Count));
                ulong now = snap.TimeNs;
                // No region at all: the schemes did not apply before the kernel gave up waiting for
                // them (6.12 ends an update after twice the apply interval); not an aggregation.
                if (snap.Targets.All(t => t.Count == 0))
                    continue;
                if (e.Driver is not null)
                {
                    long t2 = RoundTimes.Now();
                    Actions().NewApplyRound();
                    e.Driver.OnAggregation(snap);
                    Times.AddDamos(t2);
                }
                Times.EndRound();
                Aggregated?.Invoke(ToSnapshot(e, snap, (now - _originNs) / 1000));
            }
        }
    }

    /// <summary>
    /// Writes the tree and turns the kdamonds on. 6.12's sysfs takes damon_sysfs_lock with
    /// mutex_trylock on every nr_kdamonds and state write and answers EBUSY while it is held, which
    /// a kdamond that is still turning off (its before_terminate callback) does: right after a stop
    /// or a target's exit, Start is retried up to 5 times with the same backoff as a command.
    /// </summary>
    private void StartKernel(KdamondsSpec kspec)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                _kernel.Start(kspec);
                return;
            }
            catch (SysfsException e) when (e.Errno == SysfsException.EBUSY && attempt < 5)
            {
                _pacer.Sleep(TimeSpan.FromMilliseconds(10 << attempt));
            }
        }
    }

    /// <summary>A state command to one kdamond; false if it is (or just turned) off.</summary>
    private bool TryCommand(int k, string command)
    {
        string state = $"kdamonds/{k}/state";
        if (!IsOn(k))
            return false;
        // damo retries a refused update up to 5 times, backing off (update_get_snapshot_records):
        // 6.12 answers EBUSY while another command's request is still pending.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                _tree.Write(state, command);
                return true;
            }
            catch (SysfsException) when (!IsOn(k))
            {
                return false;
            }
            catch (SysfsException e) when (e.Errno == SysfsException.EBUSY && attempt < 5)
            {
                _pacer.Sleep(TimeSpan.FromMilliseconds(10 << attempt));
            }
        }
    }

    private bool IsOn(int k)
    {
        try { return _tree.DirExists($"kdamonds/{k}") && _kernel.IsOn(k); }
        catch (SysfsException) { return false; }
    }

    private bool AnyKdamondOn()
    {
        int n = _tree.FileExists("kdamonds/nr_kdamonds") ? _kernel.NrKdamonds() : 0;
        for (int k = 0; k < n; k++)
            if (IsOn(k))
                return true;
        return false;
    }

    private AggregationSnapshot ToSnapshot(Entry e, KernelAggregation snap, ulong timeUs)
    {
        ulong unit = Math.Max(e.Spec.AddrUnit, 1);
        var targets = new List<TargetSnapshot>(e.NrTargets);
        for (int i = 0; i < e.NrTargets; i++)
        {
            var regions = i < snap.Targets.Count ? snap.Targets[i] : [];
            var rows = new RegionRow[regions.Count];
            for (int j = 0; j < rows.Length; j++)
            {
                var r = regions[j];
                rows[j] = new RegionRow(r.Start * unit, r.End * unit, r.NrAccesses, r.Age);
            }
            targets.Add(new TargetSnapshot(i, e.Place.TargetsHavePids ? e.Spec.Targets[i].Pid : null, rows));
        }
        return new AggregationSnapshot(e.Place, timeUs, e.Built.Context.Attrs, targets);
    }

    // ---- commit, stop, status ---------------------------------------------------------------------

    public Task Commit(KdamondsSpec spec, IMemcgResolver? memcgs = null)
    {
        try
        {
            var resolver = memcgs ?? _entries.FirstOrDefault()?.Memcgs ?? new MemcgPathTable();
            var (kspec, staged) = Stage(spec, resolver);
            RefuseMissing(kspec);
            var matched = staged.Select(s => (s, e: _entries.FirstOrDefault(e => e.Place.KdamondIdx == s.K && e.Place.ContextIdx == s.C)
                ?? throw new DamonException(Errno.EINVAL, $"kdamonds[{s.K}].contexts[{s.C}]: no such context runs"))).ToList();
            // damon_commit_ctx of the in-process engine first: a refusal there leaves the kernel as it was.
            foreach (var (s, e) in matched)
                if (e.Ctx is not null)
                    DamonCore.CommitCtx(new DamonContext(), s.Built.Context);
            _kernel.Commit(kspec);
            foreach (var (s, e) in matched)
            {
                e.Spec = s.Spec;
                e.Built = s.Built;
                e.FirstMonitorIdx = _o.Mode == LinuxBackendMode.Kernel ? s.Spec.Schemes.Count : 0;
                if (e.Ctx is not null)
                    DamonCore.CommitCtx(e.Ctx, s.Built.Context);
            }
            return Task.CompletedTask;
        }
        catch (Exception ex) when (ex is DamonException or ConfigException or SysfsException or BackendRefusedException)
        {
            return Task.FromException(ex);
        }
    }

    public void Stop() => _stop.Request();

    private void StopKernel()
    {
        try
        {
            _kernel.Stop();
        }
        catch (SysfsException)
        {
            // A kdamond that turned off between the check and the write is off all the same.
        }
        foreach (var e in _entries)
            e.Gone = true;
        foreach (var line in _problems.SummaryLines())
            _o.Notices.WriteLine(line);
    }

    public void Dispose()
    {
        _stop.Dispose();
        // The default action layer holds pidfds; one passed in is the caller's.
        if (_o.Actions is null && _actions is IDisposable owned)
            owned.Dispose();
    }

    public KdamondsSpec Status(bool triedRegions, CancellationToken cancel)
    {
        if (_o.Mode == LinuxBackendMode.User)
        {
            var tried = triedRegions ? UserModeTriedRegions(cancel) : [];
            return EngineStatus.Capture(_entries.Where(e => e.Ctx is not null)
                .Select(e => new EngineStatusEntry(e.Place, e.Ctx!, !e.Gone && IsOn(e.Place.KdamondIdx), e.Memcgs,
                    tried.GetValueOrDefault(e.Ctx!))), triedRegions);
        }

        int n = _kernel.NrKdamonds();
        for (int k = 0; k < n; k++)
        {
            if (!TryCommand(k, "update_schemes_stats"))
                continue;
            if (triedRegions)
                TryCommand(k, "update_schemes_tried_regions");
        }
        var status = _kernel.Status();
        foreach (var e in _entries)
        {
            if (e.Place.KdamondIdx >= status.Kdamonds.Count || e.Place.ContextIdx >= status.Kdamonds[e.Place.KdamondIdx].Contexts.Count)
                continue;
            var schemes = status.Kdamonds[e.Place.KdamondIdx].Contexts[e.Place.ContextIdx].Schemes;
            int nrMonitors = Math.Min(MonitorSchemes.CountFor(e.NrTargets), Math.Max(schemes.Count - e.FirstMonitorIdx, 0));
            schemes.RemoveRange(e.FirstMonitorIdx, nrMonitors);
            if (!triedRegions)
                foreach (var s in schemes)
                    s.TriedRegions = null;
        }
        return status;
    }

    /// <summary>
    /// update_schemes_tried_regions on user mode's engine: a damos_walk on each running context,
    /// completed by the apply rounds of the next aggregations, which this polls for (at most one
    /// longest apply interval plus two aggregations, or until cancelled).
    /// </summary>
    private Dictionary<DamonContext, DamosTriedRegionsUpdate> UserModeTriedRegions(CancellationToken cancel)
    {
        var tried = new Dictionary<DamonContext, DamosTriedRegionsUpdate>(ReferenceEqualityComparer.Instance);
        foreach (var e in _entries)
            if (!e.Gone && e.Ctx is { Schemes.Count: > 0 } ctx)
                tried[ctx] = DamosTriedRegionsUpdate.Start(new Kdamond(ctx));
        if (tried.Count == 0)
            return tried;
        ulong boundUs = _entries.Where(e => e.Ctx is not null && tried.ContainsKey(e.Ctx))
            .Max(e => e.Ctx!.Schemes.Max(s => s.ApplyIntervalUs) + 2 * e.Ctx!.Attrs.AggrIntervalUs);
        ulong untilUs = NowUs + boundUs;
        while (tried.Values.Any(u => !u.Task.IsCompleted) && NowUs < untilUs && _entries.Any(e => !e.Gone))
        {
            ulong aggrUs = _entries.Where(e => !e.Gone).Min(e => e.Spec.Intervals.AggrUs);
            if (!_pacer.WaitForAggregation(aggrUs, cancel))
                break;
            Poll();
        }
        foreach (var u in tried.Values)
            _ = u.Task.Exception;
        return tried;
    }

    // ---- metrics ----------------------------------------------------------------------------------

    public NodeMetrics Nodes()
    {
        var m = Metrics();
        var vm = TryVmstat();
        var nodeVm = NodeVmstat();
        var rows = new List<NodeUsage>();
        foreach (var n in m.Nodes())
        {
            ulong[] now = nodeVm.GetValueOrDefault(n.Nid) ?? [0, 0];
            ulong[] then = _nodeVmstatAtStart?.GetValueOrDefault(n.Nid) ?? [0, 0];
            rows.Add(new NodeUsage(n.Nid, n.MemoryTier ?? 0, n.TotalBytes, n.TotalBytes - n.FreeBytes, n.FreeBytes, n.ActiveBytes,
                (now[0] - then[0]) * PageSize, (now[1] - then[1]) * PageSize));
        }
        ulong Delta(Func<VmstatSnapshot, ulong> f) => vm is null ? 0 : (f(vm) - (_vmstatAtStart is null ? 0 : f(_vmstatAtStart))) * PageSize;
        return new NodeMetrics(rows, Delta(v => v.PgpromoteSuccess), Delta(v => v.PgdemoteTotal),
            Delta(v => v["pgsteal_kswapd"] + v["pgsteal_direct"] + v["pgsteal_khugepaged"]));
    }

    private const ulong PageSize = 4096;

    private VmstatSnapshot? TryVmstat()
    {
        try { return Metrics().Vmstat(); }
        catch (LinuxSourceException) { return null; }
    }

    /// <summary>Per node: pages promoted into it (pgpromote_success) and demoted out of it (pgdemote_*), from nodeN/vmstat.</summary>
    private Dictionary<int, ulong[]> NodeVmstat()
    {
        var result = new Dictionary<int, ulong[]>();
        foreach (int nid in NodeTopology.OnlineNodes())
        {
            string path = Path.Combine(NodeTopology.NodeDir(NodeTopology.DefaultSysRoot, nid), "vmstat");
            if (!File.Exists(path))
                continue;
            try
            {
                var v = VmstatSnapshot.Read(path);
                result[nid] = [v.PgpromoteSuccess, v.PgdemoteTotal];
            }
            catch (LinuxSourceException)
            {
            }
        }
        return result;
    }

    public ProcessNodeUsage? ProcessUsage(int pid)
    {
        IReadOnlyList<NumaMapsVma> vmas;
        string name;
        try
        {
            vmas = NumaMaps.Read(NumaMaps.PathOf(pid));
            name = File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception e) when (e is LinuxSourceException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
        int nrNodes = Math.Max(NodeTopology.OnlineNodes().DefaultIfEmpty(0).Max() + 1, 1);
        var pages = new ulong[nrNodes];
        foreach (var v in vmas)
            foreach (var (nid, nr) in v.PagesPerNode)
                if (nid >= 0 && nid < nrNodes)
                    pages[nid] += nr * (v.PageSizeBytes / PageSize);
        return new ProcessNodeUsage(pid, name, pages);
    }

    /// <summary>What this kernel lacks that a user may want, one line each, and which mode covers it.</summary>
    public static IReadOnlyList<string> MissingLines(DamonSysfsFeatures f, LinuxBackendMode mode)
    {
        var lines = new List<string>();
        if (!f.GoalNid)
            lines.Add(mode == LinuxBackendMode.Kernel
                ? "node_mem_used_bp/node_mem_free_bp quota goals (6.16+): kernel mode cannot run TIER's goals here; user mode can"
                : "node_mem_used_bp/node_mem_free_bp quota goals (6.16+) in the kernel: user mode computes them itself");
        if (!f.CoreOpsFilters)
            lines.Add("core_filters/ops_filters (6.15+): the kernel has the older filters/ directory");
        if (!f.IntervalsGoal)
            lines.Add("intervals_goal (6.15+): no sampling-interval auto-tuning");
        if (!Directory.Exists("/sys/kernel/mm/page_idle"))
            lines.Add("page_idle: user mode cannot evaluate young filters (kernel mode can)");
        return lines;
    }
}
