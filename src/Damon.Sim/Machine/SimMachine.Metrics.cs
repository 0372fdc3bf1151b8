using Damon.Core.Schemes;
using Damon.Sim.Memory;

namespace Damon.Sim.Machine;

/// <summary>The machine's readings for DAMOS quota goals (§3.6) and watermarks (§3.7).</summary>
public sealed partial class SimMachine : IDamonMetrics
{
    public ulong FreeMemRatePermil()
    {
        ulong total = 0, free = 0;
        foreach (var n in _nodes) { total += n.NrFrames; free += n.NrFree; }
        return total == 0 ? 0 : free * 1000 / total;
    }

    public bool TryGetNodeMem(int nid, out ulong totalBytes, out ulong freeBytes)
    {
        if (nid < 0 || nid >= NrNodes)
        {
            totalBytes = freeBytes = 0;
            return false;
        }
        totalBytes = NodeTotalBytes(nid);
        freeBytes = NodeFreeBytes(nid);
        return true;
    }

    public bool TryGetMemcgNodeUsage(ulong memcgId, int nid, out ulong bytes)
    {
        int idx = _memcgIds.IndexOf(memcgId);
        if (idx < 0 || nid < 0 || nid >= NrNodes)
        {
            bytes = 0;
            return false;
        }
        bytes = _memcgPages[idx * NrNodes + nid] << PageSizes.PageShift;
        return true;
    }

    public void GetLruSizes(out ulong activeBytes, out ulong inactiveBytes)
    {
        ulong active = 0, used = 0;
        for (int n = 0; n < NrNodes; n++) { active += _nrActive[n]; used += _nodes[n].NrUsed; }
        activeBytes = active << PageSizes.PageShift;
        inactiveBytes = (used - active) << PageSizes.PageShift;
    }

    public ulong NodeActiveBytes(int nid) => _nrActive[nid] << PageSizes.PageShift;

    public ulong SomeMemPsiTotalUs() => PsiStallNs / 1000;

    public bool TryGetHugepageMem(out ulong thpBytes, out ulong totalBytes, out ulong freeBytes)
    {
        thpBytes = ThpBytes;
        totalBytes = freeBytes = 0;
        foreach (var n in _nodes) { totalBytes += (ulong)n.NrFrames << PageSizes.PageShift; freeBytes += n.NrFree << PageSizes.PageShift; }
        return true;
    }

    /// <summary>Allocated bytes in the physical range [start, end) that sit on <paramref name="nid"/>.</summary>
    public ulong AllocatedBytesOnNode(ulong physStart, ulong physEnd, int nid)
    {
        if (nid < 0 || nid >= NrNodes)
            return 0;
        var node = _nodes[nid];
        ulong s = Math.Max(physStart >> PageSizes.PageShift, node.BaseFrame);
        ulong e = Math.Min((physEnd + PageSizes.PageSize - 1) >> PageSizes.PageShift, node.EndFrame);
        ulong pages = 0;
        while (s < e)
        {
            uint chunk = (uint)(s >> FrameTable.ChunkShift);
            ulong chunkStart = (ulong)chunk << FrameTable.ChunkShift;
            ulong chunkEnd = chunkStart + (1UL << FrameTable.ChunkShift);
            ulong to = Math.Min(e, chunkEnd);
            var flags = Frames.Flags[chunk];
            if (flags is not null)
            {
                if (s == chunkStart && to == chunkEnd)
                    pages += Frames.NrAllocated[chunk];
                else
                    for (ulong f = s; f < to; f++)
                        if ((flags[f - chunkStart] & (ushort)PageFlags.Allocated) != 0) pages++;
            }
            s = to;
        }
        return pages << PageSizes.PageShift;
    }
}
