using Damon.Config.Schema;

namespace Damon.Linux.Sysfs;

/// <summary>
/// The kernel's DAMON driven through its admin tree, with damo's commands: stage the parameters
/// (<see cref="KdamondsSysfsWriter"/>), then write a command to each kdamond's <c>state</c> file.
/// Commands other than <c>on</c> need a running kdamond, as the kernel does; a refusal is one
/// <see cref="SysfsException"/> line carrying the kernel's errno. Manual refreshes are skipped for a
/// kdamond whose <c>refresh_ms</c> makes the kernel refresh them itself.
/// </summary>
public sealed class KernelDamon(ISysfsTree tree, Action<TimeSpan>? sleep = null)
{
    /// <summary>damo sleeps this long before `on` so a just-started vaddr process has a stable mapping.</summary>
    public static readonly TimeSpan VaddrSettle = TimeSpan.FromMilliseconds(500);

    private readonly Action<TimeSpan> _sleep = sleep ?? Thread.Sleep;
    private int _nrKdamonds;

    public ISysfsTree Tree => tree;

    private string State(int k) => $"kdamonds/{k}/state";

    /// <summary>Writes the spec and turns every kdamond on (after the vaddr settle when a vaddr context exists).</summary>
    public void Start(KdamondsSpec spec)
    {
        new KdamondsSysfsWriter(tree).Write(spec);
        _nrKdamonds = spec.Kdamonds.Count;
        if (spec.Kdamonds.Any(k => k.Contexts.Any(c => c.Ops == "vaddr")))
            _sleep(VaddrSettle);
        for (int k = 0; k < _nrKdamonds; k++)
            tree.Write(State(k), "on");
    }

    /// <summary>Online parameter update (damo tune): stage, then `commit`.</summary>
    public void Commit(KdamondsSpec spec)
    {
        RequireOn(spec.Kdamonds.Count, "commit");
        new KdamondsSysfsWriter(tree).Write(spec);
        _nrKdamonds = spec.Kdamonds.Count;
        Command("commit", all: true);
    }

    /// <summary>Pushes quota goals' values (user_input's current_value) without a full commit.</summary>
    public void CommitSchemesQuotaGoals(KdamondsSpec spec)
    {
        RequireOn(spec.Kdamonds.Count, "commit_schemes_quota_goals");
        new KdamondsSysfsWriter(tree).Write(spec);
        Command("commit_schemes_quota_goals", all: true);
    }

    public void Stop()
    {
        for (int k = 0; k < NrKdamonds(); k++)
            if (IsOn(k))
                tree.Write(State(k), "off");
    }

    public void UpdateSchemesStats() => Command("update_schemes_stats", all: false);

    public void UpdateSchemesTriedRegions() => Command("update_schemes_tried_regions", all: true);

    public void UpdateSchemesTriedBytes() => Command("update_schemes_tried_bytes", all: true);

    public void ClearSchemesTriedRegions() => Command("clear_schemes_tried_regions", all: true);

    public void UpdateSchemesEffectiveQuotas() => Command("update_schemes_effective_quotas", all: false);

    public void UpdateTunedIntervals() => Command("update_tuned_intervals", all: false);

    public bool IsOn(int k) => tree.Read(State(k)).Trim() == "on";

    public int NrKdamonds() => (int)tree.ReadUInt64("kdamonds/nr_kdamonds");

    /// <summary>refresh_ms ≠ 0: the kernel refreshes stats, effective quotas and tuned intervals itself.</summary>
    public bool RefreshesItself(int k) => tree.FileExists($"kdamonds/{k}/refresh_ms") && tree.ReadUInt64($"kdamonds/{k}/refresh_ms") != 0;

    /// <summary>The status tree (state, pid, parameters, stats, tried regions).</summary>
    public KdamondsSpec Status() => new KdamondsSysfsReader(tree).Read();

    private void RequireOn(int nr, string command)
    {
        for (int k = 0; k < nr; k++)
            if (!tree.DirExists($"kdamonds/{k}") || !IsOn(k))
                throw new SysfsException($"damon: kdamonds/{k}/state: {command} needs a running kdamond (it is off)", State(k), SysfsException.EINVAL);
    }

    /// <summary><paramref name="all"/> false: skip kdamonds whose refresh_ms refreshes the files already (damo's refresh_ms_disabled_kdidxs).</summary>
    private void Command(string command, bool all)
    {
        int nr = NrKdamonds();
        RequireOn(nr, command);
        for (int k = 0; k < nr; k++)
            if (all || !RefreshesItself(k))
                tree.Write(State(k), command);
    }

    /// <summary>
    /// damo's live snapshot: add a `stat` scheme matching every region, applied every sampling
    /// interval, to each running context lacking an equivalent one; commit; update_schemes_tried_regions;
    /// read; commit the original parameters again. Returns the status with tried regions; the
    /// snapshot is in the monitoring scheme's tried regions (also when one was already there).
    /// </summary>
    public KdamondsSpec LiveSnapshot()
    {
        var original = Status();
        var withMonitor = Status();
        bool added = false;
        foreach (var ctx in withMonitor.Kdamonds.Where(k => k.State == "on").SelectMany(k => k.Contexts))
            if (!ctx.Schemes.Any(s => IsMonitoringScheme(s, ctx.Intervals)))
            {
                ctx.Schemes.Add(MonitoringScheme(ctx.Intervals));
                added = true;
            }
        if (added)
            Commit(withMonitor);
        UpdateSchemesTriedRegions();
        var snapshot = Status();
        if (added)
            Commit(original);
        return snapshot;
    }

    /// <summary>damo's monitoring scheme: stat, every region, apply interval = sampling interval.</summary>
    public static SchemeSpec MonitoringScheme(IntervalsSpec iv) => new()
    {
        Action = "stat",
        ApplyIntervalUs = iv.SampleUs,
        AccessPattern = SysfsAccessPattern.FromKernelUnits(0, ulong.MaxValue, 0, ulong.MaxValue, 0, ulong.MaxValue),
    };

    public static bool IsMonitoringScheme(SchemeSpec s, IntervalsSpec iv)
    {
        if (s.Action != "stat" || s.ApplyIntervalUs != iv.SampleUs || s.Filters.Count > 0 || s.Quotas.SzBytes != 0 || s.Quotas.TimeMs != 0
            || s.Quotas.Goals.Count > 0 || s.Watermarks.Metric != "none")
            return false;
        var (nrMin, nrMax, ageMin, ageMax) = SysfsAccessPattern.ToKernelUnits(s.AccessPattern, iv);
        var maxNr = SysfsAccessPattern.ToKernelUnits(new AccessPatternSpec(), iv);
        return s.AccessPattern.SzMin == 0 && s.AccessPattern.SzMax == ulong.MaxValue && nrMin == 0 && ageMin == 0
            && nrMax >= maxNr.NrMax && ageMax >= maxNr.AgeMax;
    }
}
