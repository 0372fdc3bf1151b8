using Damon.Sim.Memory;

namespace Damon.Sim.Machine;

public sealed partial class SimMachine
{
    /// <summary>Each socket's last-level cache, tagged by physical line (frame, line in page); null with <see cref="MachineSpec.Caches"/> off.</summary>
    private SetAssocTags[]? _llc;

    private void InitCaches()
    {
        if (!Spec.Caches)
            return;
        _llc = Spec.Sockets.Select(s => new SetAssocTags((int)(s.Cache.LlcBytes / CacheSpec.LineBytes), (int)s.Cache.LlcWays)).ToArray();
    }

    /// <summary>A new thread's TLB, registered with its process's page table so PTE changes flush it.</summary>
    private void AttachTlb(SimThread th)
    {
        if (!Spec.Caches)
            return;
        var c = Spec.Sockets[th.Socket].Cache;
        th.Tlb = new Tlb((int)c.Tlb4kEntries, (int)c.Tlb2mEntries, (int)c.TlbWays);
        th.Process.PageTable.AddTlb(th.Tlb);
        if (c.TlbContextSwitchUs != 0)
            th.NextTlbSwitchNs = th.ClockNs + c.TlbContextSwitchUs * 1000UL;
    }

    /// <summary>
    /// The context switches (CacheSpec.TlbContextSwitchUs) that fell due by the thread's clock,
    /// checked at batch starts: its TLB is flushed once however many passed (one flush empties it),
    /// and each is counted. A batch runs well under a slice, so a switch lands at most one batch late.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void SwitchTlb(SimThread th)
    {
        ulong sliceNs = Spec.Sockets[th.Socket].Cache.TlbContextSwitchUs * 1000UL;
        ulong n = (th.ClockNs - th.NextTlbSwitchNs) / sliceNs + 1;
        th.NextTlbSwitchNs += n * sliceNs;
        th.NrTlbSwitchFlushes += n;
        th.Tlb!.FlushAll();
    }

    /// <summary>Whether the socket's LLC holds the line of physical <paramref name="frame"/> at <paramref name="addr"/>'s offset (for tests and reports).</summary>
    public bool LlcHolds(int socket, uint frame, ulong addr) =>
        _llc is not null && _llc[socket].Contains(LlcLine(frame, addr));

    private static ulong LlcLine(uint frame, ulong addr) =>
        ((ulong)frame << (PageSizes.PageShift - 6)) | ((addr >> 6) & ((PageSizes.PageSize >> 6) - 1));

    /// <summary>
    /// Flush a folio's translation from its owner's TLBs (flush_tlb_range over the folio), for a
    /// PTE change that does not go through <see cref="PageTable.Set"/>: a protection change
    /// (change_protection's tlb_flush_pte_range / flush_tlb_range after change_pte_range) and
    /// reclaim's aging of a PMD-mapped THP (x86 pmdp_clear_flush_young flushes when the PMD was
    /// young; its PTE twin ptep_clear_flush_young deliberately does not).
    /// </summary>
    private void FlushFolioTlb(uint head)
    {
        if (_llc is null)
            return;
        int owner = Frames.OwnerPid(head);
        if (owner == 0 || (Frames.GetFlags(head) & PageFlags.Mapped) == 0 || _procs[owner] is not { } p)
            return;
        // A 4 KiB flush also drops a 2 MiB entry covering the page, so one call covers a THP too.
        p.PageTable.FlushTlbs(Frames.OwnerVpage(head));
    }
}
