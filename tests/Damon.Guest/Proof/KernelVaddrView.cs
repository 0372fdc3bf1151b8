using System.Globalization;

namespace Damon.Guest.Proof;

/// <summary>One region of the kernel's monitoring result, as sysfs tried_regions shows it.</summary>
public readonly record struct KernelRegion(ulong Start, ulong End, uint NrAccesses, uint Age)
{
    public ulong Size => End - Start;
    public ulong Overlap(ulong start, ulong end) => Math.Min(End, end) > Math.Max(Start, start) ? Math.Min(End, end) - Math.Max(Start, start) : 0;
}

/// <summary>
/// The guest kernel's own DAMON view of one process: a vaddr kdamond through sysfs with a 'stat' scheme matching
/// every region, so that update_schemes_tried_regions shows the whole monitoring result (the recipe of
/// ../shared/reference/testbed.md §1.7). This is the independent reference the guest cases compare Damon with, so it
/// writes sysfs itself instead of through the product's writer. It refuses to run outside the marked guest.
/// </summary>
public static class KernelVaddrView
{
    public const string Kdamonds = "/sys/kernel/mm/damon/admin/kdamonds";
    /// <summary>
    /// 50 ms samples, 20 per 1 s aggregation. An access is seen only when the probe ran between a sample's
    /// mkold and its check; under TCG on a loaded host the probe's vCPU thread is off the host CPU for long stretches,
    /// and with damo's 5 ms a 7.3 kdamond saw no access in the probe's 64 MiB for 40 s (its regions merged into one).
    /// A window ten times longer spans the host's scheduling gaps; a real machine sees the same ranking either way.
    /// </summary>
    public const uint SampleUs = 50_000, AggrUs = 1_000_000;

    /// <summary>
    /// Monitors <paramref name="pid"/>: after <paramref name="runFor"/>, reads the regions every 3 s until
    /// <paramref name="settled"/> accepts them or <paramref name="giveUp"/> has passed since the start; returns the
    /// last regions read, and leaves no kdamond behind. (Under TCG on a loaded host the kdamond may have made only a
    /// few aggregations after runFor; the bounded wait lets its regions split and converge.)
    /// </summary>
    public static IReadOnlyList<KernelRegion> Monitor(int pid, TimeSpan runFor, Func<IReadOnlyList<KernelRegion>, bool> settled, TimeSpan giveUp)
    {
        if (!File.ReadAllText("/proc/cmdline").Split(' ', '\n').Contains(GuestContext.MarkerWord))
            throw new InvalidOperationException("KernelVaddrView writes DAMON sysfs and runs only in the test-bed guest");
        if (Sysfs.Read($"{Kdamonds}/nr_kdamonds") != "0")
            throw new InvalidOperationException("a kdamond is already set up in the guest; refusing to replace it");
        string k = $"{Kdamonds}/0", c = $"{k}/contexts/0", s = $"{c}/schemes/0", ap = $"{s}/access_pattern";
        var started = DateTime.UtcNow;
        try
        {
            // damo's order: every nr_* first, then the leaves, then the state command.
            W($"{Kdamonds}/nr_kdamonds", "1");
            W($"{k}/contexts/nr_contexts", "1");
            W($"{c}/targets/nr_targets", "1");
            W($"{c}/schemes/nr_schemes", "1");
            W($"{c}/operations", "vaddr");
            W($"{c}/monitoring_attrs/intervals/sample_us", SampleUs.ToString(CultureInfo.InvariantCulture));
            W($"{c}/monitoring_attrs/intervals/aggr_us", AggrUs.ToString(CultureInfo.InvariantCulture));
            W($"{c}/monitoring_attrs/intervals/update_us", AggrUs.ToString(CultureInfo.InvariantCulture));
            W($"{c}/monitoring_attrs/nr_regions/min", "10");
            W($"{c}/monitoring_attrs/nr_regions/max", "1000");
            W($"{c}/targets/0/pid_target", pid.ToString(CultureInfo.InvariantCulture));
            W($"{s}/action", "stat");
            // The access_pattern ranges default to 0..0, which matches nothing.
            W($"{ap}/sz/min", "0");
            W($"{ap}/sz/max", ulong.MaxValue.ToString(CultureInfo.InvariantCulture));
            W($"{ap}/nr_accesses/min", "0");
            W($"{ap}/nr_accesses/max", uint.MaxValue.ToString(CultureInfo.InvariantCulture));
            W($"{ap}/age/min", "0");
            W($"{ap}/age/max", uint.MaxValue.ToString(CultureInfo.InvariantCulture));
            W($"{k}/state", "on");
            Thread.Sleep(runFor);
            var regions = new List<KernelRegion>();
            while (true)
            {
                W($"{k}/state", "update_schemes_tried_regions");
                regions.Clear();
                foreach (string r in Directory.GetDirectories($"{s}/tried_regions").Where(d => int.TryParse(Path.GetFileName(d), out _)))
                {
                    regions.Add(new KernelRegion(U($"{r}/start"), U($"{r}/end"),
                        (uint)U($"{r}/nr_accesses"), (uint)U($"{r}/age")));
                }
                regions.Sort((a, b) => a.Start.CompareTo(b.Start));
                if (settled(regions) || DateTime.UtcNow - started >= giveUp) return regions;
                Thread.Sleep(TimeSpan.FromSeconds(3));
            }
        }
        finally
        {
            // Off, the thread gone, nr_kdamonds 0: the next case finds the kernel's DAMON as the guest booted.
            KdamondsReset.Reset();
        }
    }

    private static void W(string path, string value) => File.WriteAllText(path, value);
    private static ulong U(string path) => ulong.Parse(Sysfs.Read(path), CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether the regions put [hotStart, hotEnd) at the top of [start, end): the most accessed region lies at least
    /// 75 % inside the hot range, regions at least half as accessed as it cover at least 90 % of the hot range, and
    /// they cover at most 10 % of the rest of the mapping. Null when they do; otherwise what was seen. (75 %, not
    /// more: when Damon's own process shares the guest's two TCG vCPUs with the probe, the probe is seen in only a
    /// few samples per aggregation and a region boundary can sit a MiB or two past the hot range's end.)
    /// </summary>
    public static string? HotOnTop(IReadOnlyList<KernelRegion> regions, ulong start, ulong end, ulong hotStart, ulong hotEnd)
    {
        var mine = regions.Where(r => r.Overlap(start, end) > 0).ToList();
        if (mine.Count == 0)
            return $"none of the {regions.Count} regions covers the probe's mapping 0x{start:x}-0x{end:x}"
                + (regions.Count == 0 ? "" : $" (they span 0x{regions[0].Start:x}-0x{regions[^1].End:x})");
        var top = mine.OrderByDescending(r => r.NrAccesses).ThenByDescending(r => r.Overlap(hotStart, hotEnd)).First();
        string Show(KernelRegion r) => $"0x{r.Start:x}-0x{r.End:x} acc={r.NrAccesses} age={r.Age}";
        if (top.NrAccesses == 0) return $"no region of the mapping was seen accessed ({mine.Count} regions)";
        if (top.Overlap(hotStart, hotEnd) * 4 < top.Size * 3)
            return $"the most accessed region {Show(top)} is not the hot range 0x{hotStart:x}-0x{hotEnd:x}";
        var warm = mine.Where(r => r.NrAccesses * 2 >= top.NrAccesses).ToList();
        ulong hotSize = hotEnd - hotStart, coldSize = end - start - hotSize;
        ulong hotCovered = (ulong)warm.Sum(r => (decimal)r.Overlap(hotStart, hotEnd));
        ulong coldCovered = (ulong)warm.Sum(r => (decimal)(r.Overlap(start, end) - r.Overlap(hotStart, hotEnd)));
        if (hotCovered * 10 < hotSize * 9)
            return $"regions with at least half the top rate ({top.NrAccesses}) cover {hotCovered >> 10} of the {hotSize >> 10} KiB hot range";
        if (coldCovered * 10 > coldSize)
            return $"regions with at least half the top rate ({top.NrAccesses}) cover {coldCovered >> 10} KiB of the {coldSize >> 10} KiB cold part";
        return null;
    }
}
