using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Gups;
using Damon.Tiering.Policy;

namespace Damon.Tiering.Interference;

/// <summary>
/// The study's process: GUPS (one thread, a hot set at the start of the field taking
/// <see cref="GupsOptions.HotProb"/> of the updates, the rest spread over cold memory) whose every
/// page is resident on the slow node before the run, as if it had been faulted in and then moved
/// there with move_pages(2). A mempolicy could not do it: NUMA balancing does not promote against
/// a bind or preferred policy (mpol_misplaced), so the placement must be the pages' alone.
/// </summary>
public sealed class SlowStartWorkload(GupsOptions gups) : IWorkload
{
    private readonly GupsWorkload _app = new(gups with { Populate = false });

    public string Name => $"slow-start+{_app.Name}";
    public int Pid => _app.Pid;
    /// <summary>The hot set, the workload's ground truth: [start, end).</summary>
    public (ulong Start, ulong End) HotRange => _app.HotRange(0);

    public void Setup(IWorkloadHost host)
    {
        var m = host as SimMachine ?? throw new InvalidOperationException("the slow start needs the simulated machine as host");
        _app.Setup(host);
        int slow = TierNodes.Of(m).Slow;
        // Page by page, so the fast node never fills and wakes kswapd before the run.
        foreach (var vma in m.Process(_app.Pid).Vmas)
            for (ulong a = vma.Start; a < vma.End; a += PageSizes.PageSize)
            {
                m.Populate(_app.Pid, a);
                if (m.TryTranslate(_app.Pid, a, out uint frame))
                    m.MigrateFolio(frame, slow, out _);
            }
    }

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs) =>
        _app.NextBatch(host, tid, nowNs, batch, out computeNs);
}
