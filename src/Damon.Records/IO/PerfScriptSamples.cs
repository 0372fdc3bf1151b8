using System.Globalization;
using System.Text.RegularExpressions;

namespace Damon.Records.IO;

/// <summary>
/// One memory-access sample of <c>perf script</c> text (<c>perf mem record</c>: Intel's
/// mem-loads/mem-stores, AMD's ibs_op//): who (pid, tid, cpu), when, which event, the data address
/// and, where printed, the data source and physical address.
/// </summary>
/// <param name="IsWrite">True for a store, false for a load; null when the data source says neither (a
/// prefetch, an instruction fetch, an IBS op that did not access memory).</param>
public sealed record PerfSample(
    long Line, string Comm, int Pid, int Tid, int Cpu, ulong TimeNs, string Event, ulong Addr, ulong? DataSrc, bool? IsWrite, ulong? PhysAddr);

/// <summary>A perf script sample line that does not parse: <c>FILE:LINE: what was expected</c>.</summary>
public sealed class PerfScriptSampleException(string filePath, long line, string reason)
    : Exception($"{filePath}:{line}: {reason}")
{
    public string FilePath { get; } = filePath;
    public long Line { get; } = line;
    public string Reason { get; } = reason;
}

public static partial class PerfScriptReader
{
    /// <summary>The -F list the sample reader is written for (and what its errors suggest).</summary>
    public const string SampleFields = "comm,pid,tid,cpu,time,event,addr,data_src,phys_addr";

    // perf_sample__fprintf_start: "%16s " comm, "%7d/%-7d " pid/tid (or "%7d " tid), "[%03d] " cpu,
    // "%5lu.%06lu: " time (nanoseconds with --ns), then "[period ]" and "%*s: " the event name.
    [GeneratedRegex(@"^\s*(?:(?<comm>.*?)\s+)??(?:(?<pid>-?\d+)/)?(?<tid>-?\d+)\s+\[(?<cpu>\d+)\]\s+(?<sec>\d+)\.(?<frac>\d{1,9}):\s+(?:\d+\s+)?(?<event>\S+?):(?:\s+(?<rest>.*))?$")]
    private static partial Regex SampleHeader();

    // perf_mem_data_src.mem_op (include/uapi/linux/perf_event.h): bits 0-4.
    private const ulong PERF_MEM_OP_LOAD = 0x02, PERF_MEM_OP_STORE = 0x04, MemOpMask = 0x1f;
    private static readonly HashSet<string> BlkWords = ["N/A", "Data", "Addr"];

    /// <summary>
    /// The samples of <c>perf script -F <see cref="SampleFields"/></c> text, read line by line (no size
    /// limit: the text is never held whole). Blank lines, <c>#</c> lines (perf's --header) and
    /// tab-indented callchain lines are skipped. Load or store comes from data_src's mem_op bits, or
    /// without data_src from the event name (mem-loads / mem-stores); <paramref name="physAddrLast"/>
    /// says the lines end with phys_addr (perf prints it after everything else).
    /// </summary>
    public static IEnumerable<PerfSample> ReadSamples(TextReader reader, string filePath, bool physAddrLast = false)
    {
        long lineNo = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Length == 0 || line[0] == '\t' || line.TrimStart().Length == 0 || line.TrimStart()[0] == '#')
                continue;
            yield return ParseSample(line, lineNo, filePath, physAddrLast);
        }
    }

    private static PerfSample ParseSample(string line, long lineNo, string filePath, bool physAddrLast)
    {
        var m = SampleHeader().Match(line);
        if (!m.Success)
            throw new PerfScriptSampleException(filePath, lineNo,
                $"expected a sample line '[comm] [pid/]tid [cpu] seconds: event: addr ...' (perf script -F {SampleFields})");
        var inv = CultureInfo.InvariantCulture;
        string evt = m.Groups["event"].Value;
        string frac = m.Groups["frac"].Value;
        if (!ulong.TryParse(m.Groups["sec"].Value, NumberStyles.None, inv, out ulong sec) || sec > ulong.MaxValue / 1_000_000_000)
            throw new PerfScriptSampleException(filePath, lineNo, $"a time in seconds, found '{m.Groups["sec"].Value}.{frac}'");
        ulong timeNs = sec * 1_000_000_000 + ulong.Parse(frac, inv) * (ulong)Math.Pow(10, 9 - frac.Length);
        int tid = int.Parse(m.Groups["tid"].Value, inv);
        int pid = m.Groups["pid"].Success ? int.Parse(m.Groups["pid"].Value, inv) : 0;
        int cpu = int.Parse(m.Groups["cpu"].Value, inv);

        var tokens = m.Groups["rest"].Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0 || !TryHex(tokens[0], out ulong addr))
            throw new PerfScriptSampleException(filePath, lineNo,
                $"the data address in hex after '{evt}:' (add addr to perf script -F), found '{(tokens.Length == 0 ? "" : tokens[0])}'");
        int next = 1;
        ulong? dataSrc = null;
        if (tokens.Length > 2 && tokens[2] == "|OP" && TryHex(tokens[1], out ulong ds))
        {
            dataSrc = ds;
            // data_src__fprintf: "%16lx |OP ..|LVL ..|SNP ..|TLB ..|LCK ..|BLK <words>"; skip its decoded text.
            next = 3;
            while (next < tokens.Length && !tokens[next].Contains("|BLK", StringComparison.Ordinal)) next++;
            if (next == tokens.Length)
                throw new PerfScriptSampleException(filePath, lineNo, "data_src's decoded text to end with '|BLK <value>'");
            next++;
            while (next < tokens.Length && BlkWords.Contains(tokens[next])) next++;
        }
        ulong? phys = null;
        if (physAddrLast)
        {
            if (next >= tokens.Length || !TryHex(tokens[^1], out ulong pa))
                throw new PerfScriptSampleException(filePath, lineNo, "the physical address in hex at the end of the line (phys_addr last in perf script -F)");
            phys = pa;
        }
        bool? isWrite;
        if (dataSrc is ulong d)
            isWrite = (d & MemOpMask & PERF_MEM_OP_STORE) != 0 ? true : (d & MemOpMask & PERF_MEM_OP_LOAD) != 0 ? false : null;
        else if (evt.Contains("store", StringComparison.OrdinalIgnoreCase))
            isWrite = true;
        else if (evt.Contains("load", StringComparison.OrdinalIgnoreCase))
            isWrite = false;
        else
            throw new PerfScriptSampleException(filePath, lineNo,
                $"a data_src field (perf script -F ...,data_src) to tell a load from a store: event '{evt}' is neither mem-loads nor mem-stores");
        return new PerfSample(lineNo, m.Groups["comm"].Value.Trim(), pid, tid, cpu, timeNs, evt, addr, dataSrc, isWrite, phys);
    }

    private static bool TryHex(string s, out ulong v) =>
        ulong.TryParse(s.StartsWith("0x", StringComparison.Ordinal) ? s[2..] : s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out v);
}
