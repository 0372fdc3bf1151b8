using Damon.Core.Monitoring;
using Damon.Core.Schemes;

namespace Damon.Modules.Hugepage;

/// <summary>
/// The collapse-only rival in the style of Huawei's approach: every period, the
/// <see cref="NrProcesses"/> processes that used the most CPU in the last period are chosen, and
/// only their hot regions are collapsed; nothing is ever split. One vaddr context monitors every
/// candidate process; the collapse scheme's <c>target</c> filters (allow the chosen targets,
/// reject the rest) are what the period re-chooses, so monitoring is not restarted.
/// </summary>
public sealed class TopCpuCollapse(HugepageParams parameters, int nrProcesses = 3)
{
    public int NrProcesses { get; } = nrProcesses;
    public HugepageParams Params { get; } = parameters with { SplitCold = false, CollapseHot = true };
    public Damos? Collapse { get; private set; }
    /// <summary>The pids chosen at the last <see cref="Rechoose"/>, most CPU first.</summary>
    public IReadOnlyList<int> Chosen { get; private set; } = [];

    /// <summary>Add the collapse scheme to <paramref name="ctx"/>, whose targets are the candidates; none is chosen yet.</summary>
    public Damos AddScheme(DamonContext ctx, MonitoringAttrs attrs)
    {
        Collapse = HugepageModule.NewHotScheme(Params, attrs);
        DamosCore.AddScheme(ctx, Collapse);
        SetChosen(ctx, []);
        return Collapse;
    }

    /// <summary>
    /// Choose the processes with the most CPU time since the previous call
    /// (<paramref name="cpuNsOfPid"/> is cumulative); ties go to the lower target index.
    /// </summary>
    public void Rechoose(DamonContext ctx, Func<int, ulong> cpuNsOfPid, Dictionary<int, ulong> lastCpuNs)
    {
        var used = new List<(int Idx, int Pid, ulong Ns)>();
        for (int i = 0; i < ctx.Targets.Count; i++)
        {
            int pid = ctx.Targets[i].Pid;
            ulong now = cpuNsOfPid(pid);
            lastCpuNs.TryGetValue(pid, out ulong before);
            lastCpuNs[pid] = now;
            used.Add((i, pid, now - before));
        }
        var top = used.Where(u => u.Ns > 0).OrderByDescending(u => u.Ns).ThenBy(u => u.Idx).Take(NrProcesses).ToList();
        SetChosen(ctx, top.Select(u => u.Idx).ToList());
        Chosen = top.Select(u => u.Pid).ToList();
    }

    private void SetChosen(DamonContext ctx, IReadOnlyList<int> targetIdxs)
    {
        var s = Collapse!;
        s.CoreFilters.Clear();
        // With no target chosen, one reject-all filter (a target filter that matches no index
        // is allowed to nothing) keeps the scheme idle.
        if (targetIdxs.Count == 0)
            s.AddFilter(new DamosFilter(DamosFilterType.Target, matching: false, allow: false) { TargetIdx = -1 });
        foreach (int idx in targetIdxs)
            s.AddFilter(new DamosFilter(DamosFilterType.Target, matching: true, allow: true) { TargetIdx = idx });
        DamosCore.SetFiltersDefaultReject(s);
    }
}
