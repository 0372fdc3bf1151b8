using Damon.Core.Schemes;

namespace Damon.Core.Tests.Schemes;

/// <summary>
/// A machine whose free-memory rate and per-node memory use the test sets directly, for quota
/// goals (§3.6) and watermarks (§3.7). It has no memory cgroups, an empty LRU and no memory stalls.
/// </summary>
internal sealed class FakeMetrics : IDamonMetrics
{
    /// <summary>Node size used by <see cref="SetNodeUsedBp"/>: a multiple of 10000, so any bp is exact.</summary>
    public const ulong NodeTotalBytes = 10_000 * 4096;

    private readonly Dictionary<int, (ulong Total, ulong Free)> _nodes = [];

    public ulong FreeMemRate { get; set; } = 1000;

    /// <summary>Make node <paramref name="nid"/> exactly <paramref name="usedBp"/> basis points used.</summary>
    public void SetNodeUsedBp(int nid, ulong usedBp) =>
        _nodes[nid] = (NodeTotalBytes, NodeTotalBytes - NodeTotalBytes / 10000 * usedBp);

    public ulong FreeMemRatePermil() => FreeMemRate;

    public bool TryGetNodeMem(int nid, out ulong totalBytes, out ulong freeBytes)
    {
        bool found = _nodes.TryGetValue(nid, out var node);
        (totalBytes, freeBytes) = node;
        return found;
    }

    public bool TryGetMemcgNodeUsage(ulong memcgId, int nid, out ulong bytes)
    {
        bytes = 0;
        return false;
    }

    public void GetLruSizes(out ulong activeBytes, out ulong inactiveBytes)
    {
        activeBytes = 0;
        inactiveBytes = 0;
    }

    public ulong SomeMemPsiTotalUs() => 0;

    /// <summary>hugepage_mem_bp's reading (THP, total, free bytes); null: the machine has none.</summary>
    public (ulong Thp, ulong Total, ulong Free)? Hugepage { get; set; }

    public bool TryGetHugepageMem(out ulong thpBytes, out ulong totalBytes, out ulong freeBytes)
    {
        (thpBytes, totalBytes, freeBytes) = Hugepage ?? default;
        return Hugepage is not null;
    }
}
