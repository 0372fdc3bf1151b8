namespace Damon.Cli.Simulation;

/// <summary>
/// Checks what DAMON found against what the simulator knows to be hot
/// (<see cref="Damon.Host.Sim.SimBackend.HotRanges"/>).
/// </summary>
internal static class WorkloadHints
{
    /// <summary>Whether at least half of [start, end) lies in one of <paramref name="hot"/>.</summary>
    public static bool MostlyIn(ulong start, ulong end, IReadOnlyList<(ulong Start, ulong End)> hot)
    {
        ulong inside = 0;
        foreach (var (s, e) in hot)
        {
            ulong lo = Math.Max(s, start), hi = Math.Min(e, end);
            if (hi > lo) inside += hi - lo;
        }
        return inside * 2 >= end - start && end > start;
    }
}
