using Damon.Sim.Workloads;

namespace Damon.Sim.Traces.Lackey;

/// <summary>Converts lackey text output into a binary trace (one process, one thread).</summary>
public static class LackeyConverter
{
    /// <summary>Accesses per trace block; the replay charges compute time per block.</summary>
    public const int AccessesPerBlock = 1 << 16;

    /// <summary>Converts <paramref name="lackeyPath"/> to <paramref name="tracePath"/>; returns the number of accesses written.</summary>
    public static long Convert(string lackeyPath, string tracePath, LackeyOptions? options = null)
    {
        var o = options ?? new LackeyOptions();
        var segments = LackeyExpander.Segments(lackeyPath, o);
        using var writer = new TraceWriter(tracePath);
        int pid = writer.AddProcess("lackey");
        foreach (var (start, end) in segments) writer.Mmap(pid, start, end - start);
        int thread = writer.AddThread(pid, o.Cpu);

        var block = new MemAccess[AccessesPerBlock + LackeyExpander.MaxAccessesPerRecord];
        Span<(ulong Addr, bool Write)> tmp = stackalloc (ulong, bool)[LackeyExpander.MaxAccessesPerRecord];
        long instrs = 0, blockStartInstrs = 0;
        int n = 0;
        using (var reader = LackeyReader.Open(lackeyPath))
        {
            while (reader.Next(out var r))
            {
                if (r.Kind == LackeyKind.Instr) instrs++;
                int k = LackeyExpander.Expand(r, o.Fetches, tmp);
                for (int j = 0; j < k; j++) block[n++] = new MemAccess(tmp[j].Addr, tmp[j].Write);
                if (n >= AccessesPerBlock)
                {
                    WriteBlock(writer, thread, block.AsSpan(0, n), blockStartInstrs, instrs, o.NsPerInstr);
                    blockStartInstrs = instrs;
                    n = 0;
                }
            }
        }
        if (n > 0) WriteBlock(writer, thread, block.AsSpan(0, n), blockStartInstrs, instrs, o.NsPerInstr);
        long total = writer.NrAccesses;
        writer.Complete();
        return total;
    }

    private static void WriteBlock(TraceWriter w, int thread, ReadOnlySpan<MemAccess> accesses, long startInstrs, long endInstrs, double nsPerInstr)
    {
        w.BeginBatch(thread, (ulong)(startInstrs * nsPerInstr));
        w.Append(accesses);
        w.EndBatch((ulong)(endInstrs * nsPerInstr) - (ulong)(startInstrs * nsPerInstr));
    }
}
