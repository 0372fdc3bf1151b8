using System.Globalization;
using Damon.Core.Monitoring;
using Damon.Core.Operations;

namespace Damon.Linux.Procfs;

/// <summary>/proc/PID/maps: "start-end perms offset major:minor inode [path]" per line, hex addresses.</summary>
public static class ProcMaps
{
    public static string PathOf(int pid, string procRoot = "/proc") => System.IO.Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "maps");

    public static IReadOnlyList<Vma> Read(string path) => Parse(LinuxFiles.ReadText(path), path);

    public static IReadOnlyList<Vma> Parse(string text, string path)
    {
        var vmas = new List<Vma>();
        int lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            if (raw.Length == 0) continue;
            vmas.Add(ParseLine(raw, path, lineNo));
        }
        return vmas;
    }

    private static Vma ParseLine(string line, string path, int lineNo)
    {
        // The path is everything after the fifth field and may contain spaces.
        var span = line.AsSpan();
        LinuxSourceException Fail(string what) => new LinuxSourceException(path, $"line {lineNo}: {what} in '{line}'");
        ReadOnlySpan<char> Next(ref ReadOnlySpan<char> s)
        {
            s = s.TrimStart(' ');
            int sp = s.IndexOf(' ');
            var f = sp < 0 ? s : s[..sp];
            s = sp < 0 ? [] : s[sp..];
            return f;
        }
        var range = Next(ref span);
        int dash = range.IndexOf('-');
        if (dash < 0 || !ulong.TryParse(range[..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
            || !ulong.TryParse(range[(dash + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end) || end < start)
            throw Fail("expected 'start-end' in hex");
        var perms = Next(ref span);
        if (perms.Length != 4) throw Fail("expected four permission letters (rwxp)");
        var offsetText = Next(ref span);
        if (!ulong.TryParse(offsetText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong offset)) throw Fail("expected a hex offset");
        var dev = Next(ref span);
        if (dev.IndexOf(':') < 0) throw Fail("expected a major:minor device");
        var inodeText = Next(ref span);
        if (!ulong.TryParse(inodeText, NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode)) throw Fail("expected a decimal inode");
        return new Vma(start, end, perms.ToString(), offset, dev.ToString(), inode, span.Trim().ToString());
    }

    /// <summary>
    /// damon_va_three_regions on real VMAs: the kernel walks the mm's VMA tree, which lacks the
    /// [vsyscall] gate area that maps prints, so that line is left out before Core's
    /// <see cref="VaddrRegions.ThreeRegionsInVmas"/> runs. False when fewer than two gaps exist.
    /// </summary>
    public static bool ThreeRegions(IReadOnlyList<Vma> vmas, ulong minSz, Span<AddrRange> regions)
    {
        // maps is read in several read() calls without the mmap lock the kernel's walk holds, so a
        // process changing its mappings meanwhile can show a VMA twice or overlapping its new
        // neighbour: sort and merge, or a negative "gap" would wrap to the largest one.
        var sorted = vmas.Where(v => !v.IsGateArea).Select(v => v.Range).OrderBy(r => r.Start).ToList();
        var ranges = new List<AddrRange>(sorted.Count);
        foreach (var r in sorted)
        {
            if (ranges.Count > 0 && r.Start < ranges[^1].End)
                ranges[^1] = ranges[^1] with { End = Math.Max(ranges[^1].End, r.End) };
            else
                ranges.Add(r);
        }
        return VaddrRegions.ThreeRegionsInVmas(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ranges), minSz, regions);
    }
}
