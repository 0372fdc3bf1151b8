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
