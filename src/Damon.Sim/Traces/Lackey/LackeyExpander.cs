using Damon.Sim.Workloads;

namespace Damon.Sim.Traces.Lackey;

/// <summary>
/// Turns lackey records into page-level accesses: L is a read, S a write, M a read then a write
/// (lackey prints M for one instruction that loads and stores the same bytes); an access whose
/// bytes straddle a page boundary touches both pages. At most four accesses per record.
/// </summary>
public static class LackeyExpander
{
    public const int MaxAccessesPerRecord = 4;

    /// <summary>Writes the accesses of <paramref name="r"/> (addresses as in the trace) into <paramref name="dst"/>; returns how many.</summary>
    public static int Expand(in LackeyRecord r, bool fetches, Span<(ulong Addr, bool Write)> dst, ulong pageSz = 4096)
    {
        if (r.Kind == LackeyKind.Instr && !fetches) return 0;
        ulong first = r.Addr;
        ulong lastByte = r.Addr + r.Size - 1;
        bool straddles = (first & ~(pageSz - 1)) != (lastByte & ~(pageSz - 1));
        ulong second = lastByte & ~(pageSz - 1);
        int n = 0;
        bool read = r.Kind is LackeyKind.Instr or LackeyKind.Load or LackeyKind.Modify;
        bool write = r.Kind is LackeyKind.Store or LackeyKind.Modify;
        if (read)
        {
            dst[n++] = (first, false);
            if (straddles) dst[n++] = (second, false);
        }
        if (write)
        {
            dst[n++] = (first, true);
            if (straddles) dst[n++] = (second, true);
        }
        return n;
    }

    /// <summary>
    /// First pass over a lackey file: the touched address space, as sorted, merged ranges of
    /// whole granules. These become the replay's mappings.
    /// </summary>
    public static List<(ulong Start, ulong End)> Segments(string path, LackeyOptions o)
    {
        var granules = new HashSet<ulong>();
        ulong g = o.GranuleBytes;
        using (var reader = LackeyReader.Open(path))
        {
            ulong lastGranule = ulong.MaxValue;
            while (reader.Next(out var r))
            {
                if (r.Kind == LackeyKind.Instr && !o.Fetches) continue;
                // A segment ends at (granule + 1) * g, which wraps to 0 for the top granule (and
                // the access's last byte wraps if it runs past 2^64); no real process maps there.
                if (r.Addr > ulong.MaxValue - ulong.MaxValue % g - r.Size)
                    throw new WorkloadFormatException(path, r.Line,
                        $"address 0x{r.Addr:x} (+{r.Size} bytes) reaches into the last {g}-byte granule of the 64-bit address space, which the replay cannot map");
                ulong a = r.Addr / g, b = (r.Addr + r.Size - 1) / g;
                if (a == lastGranule && b == a) continue;
                lastGranule = a;
                granules.Add(a);
                granules.Add(b);
            }
        }
        var sorted = granules.ToList();
        sorted.Sort();
        var segs = new List<(ulong, ulong)>();
        foreach (ulong x in sorted)
        {
            if (segs.Count > 0 && segs[^1].Item2 == x * g) segs[^1] = (segs[^1].Item1, (x + 1) * g);
            else segs.Add((x * g, (x + 1) * g));
        }
        return segs;
    }
}
