using System.Text.Json.Nodes;

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

    /// <summary>
    /// Per scenario with <c>phase_starts_us</c>: <c>phase_best_static</c>, the static split with the
    /// least ns per access in each phase among the rows' <c>phase_ns_per_access</c>, and each row's
    /// <c>phase_vs_best_static</c>. From the JSON rows alone, so a merge of shards recomputes it over
    /// all of them and gets the unsharded run's reference.
    /// </summary>
    public static void AddReference(JsonArray scenarios, JsonArray results)
    {
        foreach (var sc in scenarios.OfType<JsonObject>())
        {
            if (sc["phase_starts_us"] is not JsonArray starts) continue;
            string name = sc["name"]!.GetValue<string>();
            var rows = results.OfType<JsonObject>().Where(r => r["scenario"]!.GetValue<string>() == name && r["phase_ns_per_access"] is JsonArray).ToList();
            var best = new (string Policy, double Ns)[starts.Count];
            Array.Fill(best, ("", double.NaN));
            foreach (var r in rows.Where(r => PolicyCatalog.IsStaticSplit(r["policy"]!.GetValue<string>())))
            {
                var ns = r["phase_ns_per_access"]!.AsArray();
                for (int i = 0; i < best.Length && i < ns.Count; i++)
                    if (ns[i] is JsonValue v && (double.IsNaN(best[i].Ns) || v.GetValue<double>() < best[i].Ns)) best[i] = (r["policy"]!.GetValue<string>(), v.GetValue<double>());
            }
            sc.Remove("phase_best_static");
            foreach (var r in rows) r.Remove("phase_vs_best_static");
            if (best.All(b => double.IsNaN(b.Ns))) continue;
            sc["phase_best_static"] = new JsonArray(best.Select(b => (JsonNode)new JsonObject { ["policy"] = b.Policy, ["ns_per_access"] = Num(b.Ns) }).ToArray());
            foreach (var r in rows)
            {
                var ns = r["phase_ns_per_access"]!.AsArray();
                r["phase_vs_best_static"] = new JsonArray(best.Select((b, i) => i < ns.Count && ns[i] is JsonValue v ? Num(v.GetValue<double>() / b.Ns) : null).ToArray());
            }
        }
    }

    /// <summary>NaN (a phase without accesses) has no JSON number: null.</summary>
    public static JsonNode? Num(double v) => double.IsNaN(v) || double.IsInfinity(v) ? null : JsonValue.Create(v);

    /// <summary>
    /// Cumulative (accesses, busy ns) at <paramref name="us"/>: 0 at the start, the run's mark at a
    /// phase boundary, else the first step sample at or after it.
    /// </summary>
    internal static (ulong Accesses, ulong BusyNs) At(RunSeries s, ulong us)
    {
        if (us == 0) return (0, 0);
        if (s.AppAtUs.TryGetValue(us, out var mark)) return mark;
        double ms = us / 1000.0;
        int i = s.TimeMs.FindIndex(t => t >= ms);
        if (i < 0) i = s.TimeMs.Count - 1;
        return i < 0 ? (0, 0) : (s.AppAccesses[i], s.AppBusyNs[i]);
    }
}
