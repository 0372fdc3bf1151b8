using Damon.Core.Schemes;

namespace Damon.Linux.Tests.Backend.Fakes;

/// <summary>Node 0's memory as the test sets it; every other node and memcg is absent.</summary>
internal sealed class FakeMetrics : IDamonMetrics
{
    public ulong NodeTotal, NodeFree;
    public ulong FreeMemRatePermil() => NodeTotal == 0 ? 0 : NodeFree * 1000 / NodeTotal;
    public bool TryGetNodeMem(int nid, out ulong totalBytes, out ulong freeBytes)
    {
        totalBytes = NodeTotal;
        freeBytes = NodeFree;
        return nid == 0;
    }
    public bool TryGetMemcgNodeUsage(ulong memcgId, int nid, out ulong bytes) { bytes = 0; return false; }
    public void GetLruSizes(out ulong activeBytes, out ulong inactiveBytes) { activeBytes = 0; inactiveBytes = 0; }
    public ulong SomeMemPsiTotalUs() => 0;
}
