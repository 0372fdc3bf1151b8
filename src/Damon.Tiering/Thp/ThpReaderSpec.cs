using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Catalog;

namespace Damon.Tiering.Thp;

/// <summary>
/// The THP scenarios' program (<c>workload: thp-reader</c>, <see cref="ThpReaderSpec"/>): one
/// process, one thread. It maps <see cref="SizeBytes"/>, writes every
/// <see cref="TouchEveryPages"/>-th page once in address order at start (where the THP fault path
/// decides huge or base pages, so a sparse one leaves never-touched subpages: bloat), then reads its
/// touched pages uniformly at random, one access per <see cref="ComputeNsPerAccess"/> of CPU,
/// while inside an <see cref="Active"/> window.
/// </summary>
public sealed record ThpReaderSpec(ulong SizeBytes, uint TouchEveryPages, ulong ComputeNsPerAccess, IReadOnlyList<ThpWindow> Active, int Cpu, bool MadviseHugepage)
{
    /// <summary>Pages touched: the used memory of this process with base pages.</summary>
    public ulong NrTouchedPages => (SizeBytes / PageSizes.PageSize + TouchEveryPages - 1) / TouchEveryPages;

    public const string Name = "thp-reader";
    private static readonly string[] Keys = ["size", "every", "cpuns", "active", "cpu", "thp"];

    /// <summary>
    /// The scenario file's <c>thp-reader</c> workload (docs/scenarios.md, "THP scenarios") from
    /// the <c>key=value,...</c> text after <c>thp-reader:</c>: <c>size</c> (128MiB), <c>every</c>
    /// (1: every page used), <c>cpuns</c> (30), <c>active</c> (<c>always</c>, <c>never</c> — idle
    /// after its start — or windows <c>START-END;START-END</c>, ascending), <c>cpu</c> (0) and
    /// <c>thp</c> (N: MADV_HUGEPAGE on its mapping, which matters under <c>thp: madvise</c>).
    /// </summary>
    public static ThpReaderWorkload Create(string spec, string argText)
    {
        var a = WorkloadArgs.Parse(spec, argText, positionalFirst: false);
        ulong size = a.GetSize("size", 128UL << 20, PageSizes.PageSize);
        uint every = (uint)a.GetInt("every", 1, 1, PageSizes.ThpPages);
        ulong cpuns = (ulong)a.GetInt("cpuns", 30, 0, 1_000_000);
        string active = a.GetString("active", "always");
        int cpu = (int)a.GetInt("cpu", 0, 0, 1023);
        bool thp = a.GetBool("thp", false);
        a.RejectUnknown(Name, Keys);
        if (size % PageSizes.PageSize != 0)
            throw a.Error($"{Name}: size={size} is not a whole number of 4 KiB pages");
        return new ThpReaderWorkload(new ThpReaderSpec(size, every, cpuns, Windows(a, active), cpu, thp));
    }

    private static List<ThpWindow> Windows(WorkloadArgs a, string text)
    {
        if (text == "always") return [new ThpWindow(0, ulong.MaxValue)];
        if (text == "never") return [];
        var list = new List<ThpWindow>();
        foreach (string w in text.Split(';', StringSplitOptions.TrimEntries))
        {
            int dash = w.IndexOf('-');
            ulong? s = dash > 0 ? WorkloadArgs.ParseDurationNs(w[..dash]) : null;
            ulong? e = dash > 0 ? WorkloadArgs.ParseDurationNs(w[(dash + 1)..]) : null;
            if (s is null || e is null)
                throw a.Error($"{Name}: active window '{w}' is not START-END with units (e.g. 0s-3s), nor always or never");
            if (e <= s || (list.Count > 0 && s < list[^1].EndNs))
                throw a.Error($"{Name}: active windows must be non-empty and ascending ('{w}')");
            list.Add(new ThpWindow(s.Value, e.Value));
        }
        return list;
    }
}
