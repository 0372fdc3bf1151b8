using Damon.Sim.Machine;
using Damon.Sim.Memory;

namespace Damon.Tiering.Policy;

/// <summary>Walks of a node's allocated, mapped folios (the LRU lists' content) for the policies.</summary>
public static class FramePages
{
    /// <summary>Head frames of mapped folios on <paramref name="nid"/>, in frame order.</summary>
    public static IEnumerable<uint> MappedFolios(SimMachine m, int nid)
    {
        var node = m.Node(nid);
        for (uint f = node.BaseFrame; f < node.EndFrame;)
        {
            var flags = m.Frames.GetFlags(f);
            if ((flags & PageFlags.Thp) != 0 && (f & (PageSizes.ThpPages - 1)) == 0)
            {
                if ((flags & PageFlags.Mapped) != 0) yield return f;
                f += PageSizes.ThpPages;
                continue;
            }
            if ((flags & (PageFlags.Allocated | PageFlags.Mapped)) == (PageFlags.Allocated | PageFlags.Mapped))
                yield return f;
            f++;
        }
    }

    /// <summary>A stable name for a page across runs of the same workload and seed: (pid, virtual page).</summary>
    public static ulong PageKey(SimMachine m, uint frame) => PageKey(m.Frames.OwnerPid(frame), m.Frames.OwnerVpage(frame));

    /// <summary>The key of virtual page <paramref name="vpage"/> of process <paramref name="pid"/>.</summary>
    public static ulong PageKey(int pid, ulong vpage) => ((ulong)pid << 40) | vpage;

    public static int PidOfKey(ulong key) => (int)(key >> 40);
    public static ulong VpageOfKey(ulong key) => key & ((1UL << 40) - 1);
}
