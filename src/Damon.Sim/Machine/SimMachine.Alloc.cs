using Damon.Sim.Memory;
using Damon.Sim.Workloads;

namespace Damon.Sim.Machine;

public sealed partial class SimMachine
{
    /// <summary>Cumulative "some" memory stall: direct reclaim, swap-ins, file refaults, synchronous migration.</summary>
    public ulong PsiStallNs { get; internal set; }

    private ulong WmarkPages(int nid, uint permil) => (ulong)_nodes[nid].NrFrames * permil / 1000;
    public ulong WmarkMinPages(int nid) => WmarkPages(nid, Spec.Watermarks.MinPermil);
    public ulong WmarkLowPages(int nid) => WmarkPages(nid, Spec.Watermarks.LowPermil);
    public ulong WmarkHighPages(int nid) => WmarkPages(nid, Spec.Watermarks.HighPermil);

    /// <summary>
    /// The nodes an allocation may use, in the order it tries them: the policy's choice first, then
    /// the zonelist (nodes by distance), or only the bound nodes for MPOL_BIND.
    /// </summary>
    internal int[] AllocOrder(int localNode, Vma vma, ulong vpage, bool huge)
    {
        var pol = vma.Policy;
        switch (pol.Mode)
        {
            case MemPolicyMode.Bind:
                return _fallback[localNode].Where(n => Array.IndexOf(pol.Nodes, n) >= 0).ToArray();
            case MemPolicyMode.Preferred:
                return [pol.Nodes[0], .. _fallback[localNode].Where(n => n != pol.Nodes[0])];
            case MemPolicyMode.WeightedInterleave:
                int order = huge ? PageSizes.ThpOrder : 0;
                ulong ilx = (vma.Pgoff >> order) + ((vpage - (vma.Start >> PageSizes.PageShift)) >> order);
                int chosen = WeightedPick(pol.Nodes, pol.Weights, ilx);
                return [chosen, .. _fallback[chosen].Where(n => n != chosen)];
            default:
                return _fallback[localNode];
        }
    }

    /// <summary>Weighted interleave: index <paramref name="ilx"/> modulo the weight sum picks a node.</summary>
    public static int WeightedPick(int[] nodes, uint[]? weights, ulong ilx)
    {
        ulong total = 0;
        for (int i = 0; i < nodes.Length; i++) total += weights?[i] ?? 1;
        if (total == 0) return nodes[0];
        ulong k = ilx % total;
        for (int i = 0; i < nodes.Length; i++)
        {
            ulong w = weights?[i] ?? 1;
            if (k < w) return nodes[i];
            k -= w;
        }
        return nodes[^1];
    }

    /// <summary>
    /// __alloc_pages' slow path, simplified: try each node above its low watermark (waking kswapd
    /// on those below), then above min; then reclaim directly (the stall is the thread's); then
    /// take any free frame. THP allocations give up before direct reclaim and fall back to 4 KiB.
    /// Without the Linux background there are no watermarks, only direct reclaim when full.
    /// </summary>
    internal bool TryAllocFolio(SimThread? th, int localNode, Vma vma, ulong vpage, bool huge, out uint frame, ref ulong costNs)
    {
        var order = AllocOrder(localNode, vma, vpage, huge);
        ulong need = huge ? PageSizes.ThpPages : 1;
        if (Spec.LinuxDefault)
        {
            foreach (int n in order)
            {
                if (_nodes[n].NrFree >= need + WmarkLowPages(n) && TryTake(n, huge, out frame))
                    return true;
                WakeKswapd(n);
            }
            foreach (int n in order)
                if (_nodes[n].NrFree >= need + WmarkMinPages(n) && TryTake(n, huge, out frame))
                    return true;
        }
        else
        {
            foreach (int n in order)
                if (_nodes[n].NrFree >= need && TryTake(n, huge, out frame))
                    return true;
        }
        if (!huge)
        {
            foreach (int n in order)
            {
                ulong target = Spec.LinuxDefault ? WmarkHighPages(n) + need : 32;
                if (_nodes[n].NrFree < target)
                {
                    ulong c = ReclaimNode(n, target - _nodes[n].NrFree, allowDemotion: true);
                    costNs += c;
                    PsiStallNs += c;
                    DirectReclaimNs += c;
                }
                if (_nodes[n].NrFree >= need && TryTake(n, false, out frame))
                    return true;
            }
        }
        foreach (int n in order)
            if (_nodes[n].NrFree >= need && TryTake(n, huge, out frame))
                return true;
        frame = 0;
        return false;
    }

    /// <summary>Time threads spent in direct reclaim.</summary>
    public ulong DirectReclaimNs { get; private set; }

    private bool TryTake(int nid, bool huge, out uint frame)
    {
        bool ok = huge ? _nodes[nid].TryAllocHuge(out frame) : _nodes[nid].TryAlloc4k(out frame);
        if (ok)
        {
            Frames.EnsureChunk(frame);
            GroundTruth?.EnsureChunk(frame);
            if (Spec.LinuxDefault && _nodes[nid].NrFree < WmarkLowPages(nid))
                WakeKswapd(nid);
        }
        return ok;
    }

    /// <summary>Put a new folio on the inactive LRU and map it at <paramref name="vpage"/> of <paramref name="p"/>.</summary>
    internal void MapNewFolio(SimProcess p, ulong vpage, uint head, uint nrPages, bool anon)
    {
        var f = PageFlags.Allocated | PageFlags.Mapped;
        if (anon) f |= PageFlags.Anon;
        if (nrPages > 1) f |= PageFlags.Thp;
        int nid = NodeOfFrame(head);
        for (uint i = 0; i < nrPages; i++)
        {
            uint frame = head + i;
            Frames.SetFlags(frame, f);
            Frames.SetMemcg(frame, p.MemcgIndex);
            Frames.SetRmap(frame, p.Pid, vpage + i);
            p.PageTable.Set(vpage + i, frame + 1);
        }
        Frames.NrAllocated[head >> FrameTable.ChunkShift] += nrPages;
        _memcgPages[p.MemcgIndex * NrNodes + nid] += nrPages;
        if (nrPages > 1)
            AccountThp(head, +1);
    }

    /// <summary>Return a folio's frames to its node (the caller has cleared the PTEs).</summary>
    internal void FreeFolio(uint head)
    {
        uint nr = Frames.FolioNrPages(head);
        int nid = NodeOfFrame(head);
        var f = Frames.GetFlags(head);
        if (nr > 1) AccountThp(head, -1);
        if ((f & PageFlags.Active) != 0) _nrActive[nid] -= nr;
        _memcgPages[Frames.MemcgIndex(head) * NrNodes + nid] -= nr;
        Frames.NrAllocated[head >> FrameTable.ChunkShift] -= nr;
        for (uint i = 0; i < nr; i++)
        {
            Frames.SetFlags(head + i, PageFlags.None);
            Frames.SetRmap(head + i, 0, 0);
            GroundTruth?.Clear(head + i);
        }
        if (nr > 1) _nodes[nid].FreeHuge(head); else _nodes[nid].Free4k(head);
    }

    /// <summary>Page cache that loses its mapping stays resident, unmapped and inactive.</summary>
    private void UnmapFolio(uint head)
    {
        uint nr = Frames.FolioNrPages(head);
        SetActive(head, false);
        for (uint i = 0; i < nr; i++)
        {
            Frames.SetFlags(head + i, Frames.GetFlags(head + i) & ~PageFlags.Mapped);
            Frames.SetRmap(head + i, 0, Frames.OwnerVpage(head + i));
        }
    }

    /// <summary>folio_activate / folio_deactivate, keeping the per-node active count.</summary>
    internal void SetActive(uint head, bool active)
    {
        var f = Frames.GetFlags(head);
        bool was = (f & PageFlags.Active) != 0;
        if (was == active)
            return;
        uint nr = Frames.FolioNrPages(head);
        int nid = NodeOfFrame(head);
        if (active) { _nrActive[nid] += nr; f |= PageFlags.Active; }
        else { _nrActive[nid] -= nr; f &= ~PageFlags.Active; }
        Frames.SetFlags(head, f);
    }

    /// <summary>
    /// damon_folio_mkold / damon_ptep_mkold: clear the PTE (PMD for THP) young bit, leaving
    /// PG_young for reclaim if it was set, and mark the folio idle.
    /// </summary>
    public void DamonMkold(uint frame)
    {
        ref ushort f = ref Frames.FolioFlagsRef(frame, out _);
        if ((f & (ushort)PageFlags.Young) != 0)
            f = (ushort)((f & ~(ushort)PageFlags.Young) | (ushort)PageFlags.Referenced);
        f |= (ushort)PageFlags.Idle;
    }

    /// <summary>damon_folio_young: the PTE is young, or the folio is not idle.</summary>
    public bool DamonYoung(uint frame) => DamonYoung(frame, out _);

    /// <summary><see cref="DamonYoung(uint)"/> and the folio's size in pages from the same flags read.</summary>
    internal bool DamonYoung(uint frame, out uint nrPages)
    {
        ushort f = Frames.FolioFlagsRef(frame, out bool thp);
        nrPages = thp ? PageSizes.ThpPages : 1;
        return (f & (ushort)PageFlags.Young) != 0 || (f & (ushort)PageFlags.Idle) == 0;
    }

    /// <summary>The PTE/PMD young bit alone.</summary>
    public bool IsYoung(uint frame) => (Frames.GetFlags(Frames.FolioHead(frame)) & PageFlags.Young) != 0;
    public bool IsActive(uint frame) => (Frames.GetFlags(Frames.FolioHead(frame)) & PageFlags.Active) != 0;
}
