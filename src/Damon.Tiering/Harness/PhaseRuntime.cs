namespace Damon.Tiering.Harness;

/// <summary>
/// A run's application time per access within each phase of its scenario, from the series'
/// cumulative accesses and busy time (differences at the phase boundaries), and the per-phase
/// reference the moving-optimum goal is judged against: the best static split of each phase among
/// the policies run (<see cref="PolicyCatalog.IsStaticSplit"/>), so a phase whose optimum differs
/// from the others' gets its own reference.
/// </summary>
public static class PhaseRuntime
{
    /// <summary>Phase start times: the scenario's phase changes, with 0 first.</summary>
    public static IReadOnlyList<ulong> Starts(TieringScenario sc) =>
        sc.PhaseChangesUs.Append(0UL).Where(t => t < sc.DurationUs).Distinct().Order().ToList();

    /// <summary>ns per access in each phase (NaN where the phase made no access or the series does not reach it).</summary>
    public static double[] NsPerAccess(TieringScenario sc, RunSeries s)
    {
        var starts = Starts(sc);
        var result = new double[starts.Count];
        for (int i = 0; i < starts.Count; i++)
        {
            ulong end = i + 1 < starts.Count ? starts[i + 1] : sc.DurationUs;
            var (a0, b0) = At(s, starts[i]);
            var (a1, b1) = At(s, end);
            result[i] = a1 > a0 ? (double)(b1 - b0) / (a1 - a0) : double.NaN;
        }
        return result;
    }

    /// <summary>Per phase: the static split with the least ns per access, and that value.</summary>
    public static (string Policy, double NsPerAccess)[] BestStatic(TieringScenario sc, IEnumerable<PolicyResult> results)
    {
        var best = new (string, double)[Starts(sc).Count];
        Array.Fill(best, ("", double.NaN));
        foreach (var r in results.Where(r => r.Scenario == sc.Name && r.Series is not null && PolicyCatalog.IsStaticSplit(r.Policy)))
        {
            var ns = NsPerAccess(sc, r.Series!);
            for (int i = 0; i < ns.Length; i++)
                if (!double.IsNaN(ns[i]) && (double.IsNaN(best[i].Item2) || ns[i] < best[i].Item2)) best[i] = (r.Policy, ns[i]);
        }
        return best;
    }

    /// <summary>Cumulative (accesses, busy ns) at <paramref name="us"/>: the sample at that time, 0 at the start.</summary>
    private static (ulong Accesses, ulong BusyNs) At(RunSeries s, ulong us)
    {
        if (us == 0) return (0, 0);
        double ms = us / 1000.0;
        int i = s.TimeMs.FindIndex(t => t >= ms);
        if (i < 0) i = s.TimeMs.Count - 1;
        return i < 0 ? (0, 0) : (s.AppAccesses[i], s.AppBusyNs[i]);
    }
}
