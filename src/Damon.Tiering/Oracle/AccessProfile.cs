using Damon.Sim.Running;
using Damon.Tiering.Policy;

namespace Damon.Tiering.Oracle;

/// <summary>
/// What an oracle knows in advance: per-page access counts of one earlier run of the same workload,
/// seed and machine, over the whole run and per window of <see cref="WindowUs"/>. Pages are named by
/// (pid, virtual page), which a rerun with the same seed reproduces. Each window keeps only the pages
/// it accessed, most accessed first, at most <see cref="KeepPerWindow"/> of them.
/// </summary>
public sealed class AccessProfile
{
    public AccessProfile(ulong windowUs, int keepPerWindow)
    {
        WindowUs = windowUs;
        KeepPerWindow = keepPerWindow;
    }

    public ulong WindowUs { get; }
    public int KeepPerWindow { get; }
    public Dictionary<ulong, ulong> WholeRun { get; } = [];
    public List<ulong[]> Windows { get; } = [];
    /// <summary>The application threads' load over the profiled run (the interleave oracle's calibration).</summary>
    public Damon.Tiering.InterleaveOracle.SplitLoad? Load { get; private set; }

    /// <summary>Run <paramref name="sim"/> (a fresh simulation, nothing attached) for <paramref name="durationUs"/> and count.</summary>
    public static AccessProfile Record(Simulation sim, ulong durationUs, ulong windowUs, int keepPerWindow, CancellationToken cancel = default)
    {
        var prof = new AccessProfile(windowUs, keepPerWindow);
        var m = sim.Machine;
        m.EnableGroundTruth();
        for (ulong t = windowUs; ; t += windowUs)
        {
            ulong end = Math.Min(t, durationUs);
            sim.RunUntil(end, cancel);
            var w = m.GroundTruth!.CloseWindow(end * 1000);
            var counts = new List<(ulong Key, ulong N)>();
            for (int nid = 0; nid < m.NrNodes; nid++)
                foreach (uint head in FramePages.MappedFolios(m, nid))
                {
                    uint nr = m.Frames.FolioNrPages(head);
                    for (uint i = 0; i < nr; i++)
                    {
                        ulong n = w.Count(head + i);
                        if (n == 0) continue;
                        ulong key = FramePages.PageKey(m, head + i);
                        counts.Add((key, n));
                        prof.WholeRun[key] = prof.WholeRun.GetValueOrDefault(key) + n;
                    }
                }
            m.GroundTruth.Recycle(w);
            prof.Windows.Add(counts.OrderByDescending(c => c.N).ThenBy(c => c.Key).Take(keepPerWindow).Select(c => c.Key).ToArray());
            if (end >= durationUs || sim.WorkloadFinished) break;
        }
        prof.Load = Damon.Tiering.InterleaveOracle.SplitLoad.Of(m.Spec, m.Threads.Where(t => t.Process.Name != Harness.PrefilledWorkload.ProcessName));
        return prof;
    }

    /// <summary>The <paramref name="nrPages"/> most accessed pages of the whole run (ties by key), the static oracle's fast set.</summary>
    public HashSet<ulong> TopWholeRun(int nrPages) =>
        WholeRun.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(nrPages).Select(kv => kv.Key).ToHashSet();
}
