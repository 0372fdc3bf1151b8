using System.Globalization;

namespace Damon.Sim.Workloads.Masim;

/// <summary>
/// masim's config grammar (masim.c read_config / rm_comments / parse_regions / parse_phases),
/// reproduced on the whole file as one string so that the paragraph rules hold exactly:
/// lines beginning with '#' are removed first, the first empty line ends the regions paragraph,
/// and every following empty line ends one phase. Where masim aborts we throw a
/// <see cref="WorkloadFormatException"/> naming the line; see docs/workloads.md for the two
/// places where we are deliberately kinder (a missing final newline, whitespace around names).
/// </summary>
public static class MasimConfigParser
{
    public static MasimConfig Load(string path, MasimRwMode defaultRwMode = MasimRwMode.WriteOnly)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WorkloadFormatException(path, 0, $"cannot read masim config: {e.Message}");
        }
        return Parse(text, path, defaultRwMode);
    }

    public static MasimConfig Parse(string text, string sourceName, MasimRwMode defaultRwMode = MasimRwMode.WriteOnly)
    {
        var raw = text.Split('\n');
        // With a final '\n' the split ends in "", which terminates the last phase exactly as in
        // masim. Without it masim's rm_comments() silently drops the unterminated last line; we
        // keep that line instead and terminate it ourselves (documented difference).
        var lines = new List<(string Text, int Line)>(raw.Length + 1);
        for (int i = 0; i < raw.Length; i++)
        {
            string l = raw[i].EndsWith('\r') ? raw[i][..^1] : raw[i];
            if (l.StartsWith('#')) continue;
            lines.Add((l, i + 1));
        }
        if (raw[^1].Length != 0 && !raw[^1].StartsWith('#'))
            lines.Add(("", raw.Length + 1));
        else if (raw[^1].StartsWith('#'))
            lines.Add(("", raw.Length));

        int sep = lines.FindIndex(l => l.Text.Length == 0);
        // masim's paragraph_len() looks for "\n\n"; a terminator right at the end does not count.
        if (sep < 0 || sep == lines.Count - 1)
            throw new WorkloadFormatException(sourceName, 0,
                "no empty line separates the regions paragraph from the phases (masim: \"Wrong file format\")");

        var regions = ParseRegions(lines.GetRange(0, sep), sourceName);
        var phases = ParsePhases(lines.GetRange(sep + 1, lines.Count - sep - 1), regions, sourceName, defaultRwMode);
        return new MasimConfig(sourceName, regions, phases);
    }

    /// <summary>x86-64's 47-bit user address space, where the simulated process lives.</summary>
    private const ulong MaxTotalBytes = Catalog.WorkloadArgs.UserSpaceBytes;

    private static List<MasimRegion> ParseRegions(List<(string Text, int Line)> lines, string src)
    {
        var regions = new List<MasimRegion>();
        ulong totalBytes = 0;
        if (lines.Count == 0)
            throw new WorkloadFormatException(src, 0, "the regions paragraph is empty");
        foreach (var (text, line) in lines)
        {
            var f = text.Split(',');
            if (f.Length != 2 && f.Length != 3)
                throw new WorkloadFormatException(src, line,
                    $"a region line needs 2 or 3 comma-separated fields (name, size[, data file]), found {f.Length}: '{text}'");
            string name = f[0].Trim();
            if (name.Length == 0) throw new WorkloadFormatException(src, line, "empty region name");
            if (name.Length > 255) throw new WorkloadFormatException(src, line, "region name longer than masim's 255 characters");
            ulong size = ParseUnsigned(f[1], src, line, "region size");
            if (size == 0) throw new WorkloadFormatException(src, line, $"region '{name}' has size 0");
            // masim mallocs every region up front; more than the user address space cannot map.
            if (size > MaxTotalBytes || totalBytes > MaxTotalBytes - size)
                throw new WorkloadFormatException(src, line,
                    $"region '{name}' of {size} bytes brings the regions to more than the {MaxTotalBytes >> 40} TiB user address space (masim's malloc would fail)");
            totalBytes += size;
            string? dataFile = null;
            if (f.Length == 3)
            {
                // sscanf("%s"): the first whitespace-delimited word.
                var words = f[2].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0) throw new WorkloadFormatException(src, line, "empty data file field (use 'none')");
                dataFile = words[0] == "none" ? null : words[0];
            }
            var dup = regions.Find(r => r.Name == name);
            if (dup is not null)
                throw new WorkloadFormatException(src, line, $"region '{name}' is already defined at line {dup.Line}");
            regions.Add(new MasimRegion(name, size, dataFile, line));
        }
        return regions;
    }

    private static List<MasimPhase> ParsePhases(List<(string Text, int Line)> lines, List<MasimRegion> regions,
        string src, MasimRwMode defaultRwMode)
    {
        var phases = new List<MasimPhase>();
        int i = 0;
        while (i < lines.Count)
        {
            int start = i;
            while (lines[i].Text.Length != 0) i++;   // the list always ends with an empty terminator
            int n = i - start;
            int termLine = lines[i].Line;
            i++;
            if (n < 3)
            {
                // An empty phase's terminator is the piece after the file's final '\n' when the
                // extra blank line is the file's last line; name that blank line instead.
                int at = n == 0 ? (i == lines.Count && termLine > 1 ? termLine - 1 : termLine) : lines[start].Line;
                string why = n == 0
                    ? "empty phase: an extra empty line (a trailing blank line at the end of the file, or two in a row); masim aborts with \"Wrong number of lines! 0\""
                    : $"a phase needs a name line, a time line and at least one access pattern, found {n} line(s) (masim: \"Wrong number of lines! {n}\")";
                throw new WorkloadFormatException(src, at, why);
            }
            string name = lines[start].Text;
            uint timeMs = (uint)Math.Min(ParseUnsigned(lines[start + 1].Text, src, lines[start + 1].Line, "phase time (ms)"), uint.MaxValue);
            var patterns = new List<MasimPattern>(n - 2);
            for (int k = start + 2; k < start + n; k++)
                patterns.Add(ParsePattern(lines[k].Text, lines[k].Line, regions, src, defaultRwMode));
            phases.Add(new MasimPhase(name, timeMs, patterns, lines[start].Line));
        }
        if (phases.Count == 0)
            throw new WorkloadFormatException(src, 0, "no phases after the regions paragraph (masim: \"Not enough lines for phases\")");
        return phases;
    }

    private static MasimPattern ParsePattern(string text, int line, List<MasimRegion> regions, string src, MasimRwMode dflt)
    {
        var f = text.Split(',');
        if (f.Length != 4 && f.Length != 5)
            throw new WorkloadFormatException(src, line,
                $"an access pattern needs 4 or 5 comma-separated fields (region, randomness, stride, probability[, ro|wo|rw]), found {f.Length}: '{text}'");
        string name = f[0].Trim();
        int region = regions.FindIndex(r => r.Name == name);
        if (region < 0)
            throw new WorkloadFormatException(src, line, $"no region named '{name}' (masim: \"Cannot find region with name\")");
        ulong randomness = ParseUnsigned(f[1], src, line, "randomness");
        ulong stride = ParseUnsigned(f[2], src, line, "stride");
        ulong prob = ParseUnsigned(f[3], src, line, "probability");
        if (prob > int.MaxValue) throw new WorkloadFormatException(src, line, $"probability {prob} does not fit masim's int");
        var rw = dflt;
        if (f.Length == 5)
        {
            // parse_rwmode(): sscanf("%s") then strncmp over two characters.
            var words = f[4].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            string w = words.Length > 0 ? words[0] : "";
            rw = w.StartsWith("ro", StringComparison.Ordinal) ? MasimRwMode.ReadOnly
                : w.StartsWith("wo", StringComparison.Ordinal) ? MasimRwMode.WriteOnly
                : w.StartsWith("rw", StringComparison.Ordinal) ? MasimRwMode.ReadWrite
                : throw new WorkloadFormatException(src, line, $"wrong rw mode '{w}' (ro, wo or rw)");
        }
        return new MasimPattern(region, randomness != 0, stride, (int)prob, rw, line);
    }

    private static ulong ParseUnsigned(string field, string src, int line, string what)
    {
        string s = field.Trim();
        if (!ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v))
            throw new WorkloadFormatException(src, line, $"{what} '{s}' is not a non-negative integer");
        return v;
    }
}
