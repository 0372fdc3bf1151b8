namespace Damon.Tiering.Harness;

/// <summary>
/// Time to converge after a phase change: from the change until the per-step fast-tier hit ratio
/// first reaches 95 % of its late level (the mean of the phase's last fifth). A phase that never
/// gets there counts its whole length.
/// </summary>
public static class ConvergenceMeter
{
    public static double? MeanConvergeMs(IReadOnlyList<HitSample> samples, IReadOnlyList<ulong> changesUs, double endMs)
    {
        if (changesUs.Count == 0 || samples.Count == 0) return null;
        var times = new List<double>();
        for (int i = 0; i < changesUs.Count; i++)
        {
            double start = changesUs[i] / 1000.0;
            double end = i + 1 < changesUs.Count ? changesUs[i + 1] / 1000.0 : endMs;
            var phase = samples.Where(s => s.TimeMs > start && s.TimeMs <= end).ToList();
            if (phase.Count == 0) continue;
            int lateFrom = phase.Count - Math.Max(1, phase.Count / 5);
            double late = phase.Skip(lateFrom).Average(s => s.FastHitRatio);
            var hit = phase.FirstOrDefault(s => s.FastHitRatio >= 0.95 * late);
            times.Add((hit == default ? end : hit.TimeMs) - start);
        }
        return times.Count == 0 ? null : times.Average();
    }
}
