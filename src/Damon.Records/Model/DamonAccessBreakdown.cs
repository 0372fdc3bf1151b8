namespace Damon.Records.Model;

/// <summary>
/// Who made a region's counted accesses in its snapshot (region key <c>accesses_by</c>, a Damon
/// extension damo ignores; docs/records.md): samples per CPU, per thread id, and how many were
/// writes and reads. Each of the three sums to <see cref="NrAttributed"/>, which is at most the
/// region's nr_accesses in samples (equal when every sample came from access reports).
/// </summary>
public sealed class DamonAccessBreakdown
{
    public SortedDictionary<int, long> Cpus { get; set; } = [];
    public SortedDictionary<int, long> Tids { get; set; } = [];
    public long Writes { get; set; }
    public long Reads { get; set; }

    public long NrAttributed => Writes + Reads;

    public DamonAccessBreakdown Clone() => new()
    {
        Cpus = new SortedDictionary<int, long>(Cpus),
        Tids = new SortedDictionary<int, long>(Tids),
        Writes = Writes,
        Reads = Reads,
    };
}
