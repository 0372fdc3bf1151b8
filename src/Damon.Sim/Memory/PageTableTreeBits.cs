using System.Numerics;
using System.Runtime.CompilerServices;

namespace Damon.Sim.Memory;

/// <summary>
/// The accessed bits of a process's upper page-table levels, as x86 sets them on every page walk:
/// one per PMD entry (2 MiB of virtual address space) and one per PUD entry (1 GiB), flat bit
/// arrays over the 47-bit user address space (8 MiB and 16 KiB per process). The PTE's own bit is
/// the frame's <see cref="PageFlags.Young"/>. Only made for processes monitored by the
/// page-table-tree mode (<see cref="PageTable.EnableTreeBits"/>), so the default machine pays
/// nothing but a null check.
/// </summary>
public sealed class PageTableTreeBits
{
    public const int PmdShift = 21;
    public const int PudShift = 30;
    private const int VaBits = 47;

    private readonly ulong[] _pmd = new ulong[1 << (VaBits - PmdShift - 6)];
    private readonly ulong[] _pud = new ulong[1 << (VaBits - PudShift - 6)];

    public const long StateBytes = (1L << (VaBits - PmdShift - 3)) + (1L << (VaBits - PudShift - 3));

    /// <summary>A page walk for <paramref name="vpage"/>: the MMU sets the PUD's and the PMD's accessed bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MarkWalk(ulong vpage)
    {
        ulong pmd = vpage >> (PmdShift - PageSizes.PageShift);
        ulong pud = vpage >> (PudShift - PageSizes.PageShift);
        _pmd[pmd >> 6] |= 1UL << (int)(pmd & 63);
        _pud[pud >> 6] |= 1UL << (int)(pud & 63);
    }

    public bool PudYoung(ulong addr) => Test(_pud, addr >> PudShift);

    public bool PmdYoung(ulong addr) => Test(_pmd, addr >> PmdShift);

    /// <summary>pudp_test_and_clear_young: clear the 1 GiB entry's bit, return whether it was set.</summary>
    public bool TestAndClearPud(ulong addr) => TestAndClear(_pud, addr >> PudShift);

    /// <summary>pmdp_test_and_clear_young on the table entry (not a THP's leaf PMD).</summary>
    public bool TestAndClearPmd(ulong addr) => TestAndClear(_pmd, addr >> PmdShift);

    /// <summary>
    /// pmdp_test_and_clear_young over a span: the PMD entries of the aligned group of
    /// 2^<paramref name="spanShift"/> (at most 64, one bit word) holding <paramref name="addr"/>,
    /// those of them overlapping [<paramref name="start"/>, <paramref name="end"/>) only; clears
    /// them and returns whether any was set. One word read and written, whatever the span.
    /// </summary>
    public bool TestAndClearPmdSpan(ulong addr, ulong start, ulong end, int spanShift)
    {
        ulong mask = SpanMask(addr, start, end, spanShift, out ulong word);
        if (mask == 0) return false;
        ref ulong w = ref _pmd[word];
        bool was = (w & mask) != 0;
        w &= ~mask;
        return was;
    }

    /// <summary>Whether any PMD entry of <see cref="TestAndClearPmdSpan"/>'s span is young, without clearing.</summary>
    public bool PmdSpanYoung(ulong addr, ulong start, ulong end, int spanShift)
    {
        ulong mask = SpanMask(addr, start, end, spanShift, out ulong word);
        return mask != 0 && (_pmd[word] & mask) != 0;
    }

    /// <summary>The bits, within word <paramref name="word"/>, of the span's PMDs that overlap [start, end); 0 outside the user space.</summary>
    private ulong SpanMask(ulong addr, ulong start, ulong end, int spanShift, out ulong word)
    {
        ulong i = addr >> PmdShift;
        word = i >> 6;
        if (word >= (ulong)_pmd.Length || end <= start) return 0;
        ulong group = i & ~((1UL << spanShift) - 1);
        ulong lo = Math.Max(group, start >> PmdShift);
        ulong hi = Math.Min(group + (1UL << spanShift) - 1, (end - 1) >> PmdShift);
        if (hi < lo) return 0;
        // Bits lo..hi of the word (the group never crosses a word: 64 is a multiple of its size).
        int loBit = (int)(lo & 63), nrBits = (int)(hi - lo) + 1;
        ulong ones = nrBits == 64 ? ulong.MaxValue : (1UL << nrBits) - 1;
        return ones << loBit;
    }

    /// <summary>Young PMD entries whose 2 MiB blocks overlap [start, end), for tests and reports.</summary>
    public int NrYoungPmds(ulong start, ulong end)
    {
        int n = 0;
        for (ulong i = start >> PmdShift; i <= (end - 1) >> PmdShift; i++)
            n += BitOperations.PopCount(_pmd[i >> 6] >> (int)(i & 63) & 1);
        return n;
    }

    private static bool Test(ulong[] bits, ulong i) => i >> 6 < (ulong)bits.Length && (bits[i >> 6] & (1UL << (int)(i & 63))) != 0;

    private static bool TestAndClear(ulong[] bits, ulong i)
    {
        if (i >> 6 >= (ulong)bits.Length) return false;
        ref ulong w = ref bits[i >> 6];
        ulong m = 1UL << (int)(i & 63);
        bool was = (w & m) != 0;
        w &= ~m;
        return was;
    }
}
