namespace Damon.Records.Model;

/// <summary>
/// A DAMOS filter installed on the snapshot-retrieval scheme; snapshot records carry it so that
/// reports can say which memory the <c>sz_filter_passed</c> bytes describe.
/// </summary>
public sealed record DamosFilter(
    string FilterType,
    bool Matching,
    bool Allow,
    string? MemcgPath = null,
    ulong? AddressStart = null,
    ulong? AddressEnd = null,
    long? DamonTargetIdx = null,
    ulong? HugepageMinSz = null,
    ulong? HugepageMaxSz = null)
{
    /// <summary>Filters the operations layer evaluates per page; only these make df-passed bytes meaningful.</summary>
    public bool HandledByOps => FilterType is "anon" or "active" or "memcg" or "young" or "hugepage_size" or "unmapped";
}
