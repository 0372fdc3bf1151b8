using Damon.Linux.Procfs;

namespace Damon.Linux.Actions;

/// <summary>
/// A present folio of a process as user space sees it: where it is mapped, how many base pages it
/// spans (a THP's head and tails are told apart by kpageflags), and its flags and memcg when PFNs
/// are visible.
/// </summary>
public readonly record struct VaddrFolio(ulong Addr, uint NrPages, PagemapEntry Entry, KpageFlags Flags, ulong MemcgIno, bool FlagsKnown)
{
    public ulong Bytes => (ulong)NrPages * PagemapReader.PageSize;
    public ulong Key => Entry.Pfn != 0 ? Entry.Pfn : Addr;
}

/// <summary>Reads the present folios of an address range: pagemap (one pread per chunk), then kpageflags/kpagecgroup by PFN.</summary>
public sealed class VaddrFolioReader(string procRoot, PfnTable? kpageflags, PfnTable? kpagecgroup)
{
    /// <summary>Pages per pagemap read: 256 MiB of address space, 512 KiB of entries.</summary>
    public const int ChunkPages = 1 << 16;

    public List<VaddrFolio> Read(int pid, ulong start, ulong end)
    {
        var folios = new List<VaddrFolio>();
        using var pm = new PagemapReader(PagemapReader.PathOf(pid, procRoot));
        ulong first = start >> PagemapReader.PageShift, last = (end + PagemapReader.PageSize - 1) >> PagemapReader.PageShift;
        var entries = new PagemapEntry[(int)Math.Min((ulong)ChunkPages, Math.Max(last - first, 1))];
        var flagWords = new ulong[entries.Length];
        var cgroupWords = new ulong[entries.Length];
        ulong prevPfn = 0;
        for (ulong vp = first; vp < last; vp += (ulong)entries.Length)
        {
            int n = (int)Math.Min((ulong)entries.Length, last - vp);
            var span = entries.AsSpan(0, n);
            pm.Read(vp << PagemapReader.PageShift, span);
            ReadPfnWords(span, flagWords, cgroupWords);
            for (int i = 0; i < n; i++)
            {
                var e = span[i];
                if (!e.Present) { prevPfn = 0; continue; }
                ulong addr = (vp + (ulong)i) << PagemapReader.PageShift;
                ulong pfn = e.Pfn;
                bool known = pfn != 0 && kpageflags is not null;
                var flags = known ? (KpageFlags)flagWords[i] : KpageFlags.None;
                ulong memcg = known && kpagecgroup is not null ? cgroupWords[i] : 0;
                // A tail page right after its folio's previous page extends that folio.
                if (known && (flags & KpageFlags.CompoundTail) != 0 && folios.Count > 0 && prevPfn != 0 && pfn == prevPfn + 1
                    && folios[^1].Addr + folios[^1].Bytes == addr)
                {
                    var f = folios[^1];
                    folios[^1] = f with { NrPages = f.NrPages + 1 };
                }
                else
                {
                    folios.Add(new VaddrFolio(addr, 1, e, flags, memcg, known));
                }
                prevPfn = pfn;
            }
        }
        return folios;
    }

    /// <summary>
    /// kpageflags/kpagecgroup words for the present pages of a chunk: one pread per run of pages
    /// whose PFNs follow each other (a THP, or memory faulted in order), not one per page.
    /// </summary>
    private void ReadPfnWords(ReadOnlySpan<PagemapEntry> entries, ulong[] flagWords, ulong[] cgroupWords)
    {
        if (kpageflags is null) return;
        int i = 0;
        while (i < entries.Length)
        {
            ulong pfn = entries[i].Pfn;
            if (pfn == 0) { i++; continue; }
            int j = i + 1;
            while (j < entries.Length && entries[j].Pfn == pfn + (ulong)(j - i)) j++;
            kpageflags.Read(pfn, flagWords.AsSpan(i, j - i));
            kpagecgroup?.Read(pfn, cgroupWords.AsSpan(i, j - i));
            i = j;
        }
    }
}
