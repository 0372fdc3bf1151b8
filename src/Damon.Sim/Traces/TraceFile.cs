using Damon.Sim.Workloads;

namespace Damon.Sim.Traces;

/// <summary>Everything in a trace, decoded into memory (for tests, tools and small traces; replay streams instead).</summary>
public sealed record TraceContents(
    TraceHeader Header,
    IReadOnlyList<TraceBlockInfo> Blocks,
    IReadOnlyList<(long Record, long Owner, TraceEvent Event)> Events,
    IReadOnlyList<IReadOnlyList<MemAccess>> AccessesByThread,
    long NrAccesses);

public static class TraceFile
{
    public static TraceContents ReadAll(string path)
    {
        using var handle = OpenHandle(path);
        var header = TraceBlockReader.ReadHeader(handle, path);
        var reader = new TraceBlockReader(handle, path, TraceFormat.HeaderBytes, 0, 0);
        var blocks = new List<TraceBlockInfo>();
        var events = new List<(long, long, TraceEvent)>();
        var byThread = new List<List<MemAccess>>();
        var prev = new List<ulong>();
        int nrThreads = 0;
        while (reader.Next(out var b))
        {
            blocks.Add(b);
            var p = reader.Payload;
            int pos = 0;
            for (long r = 0; r < b.NrRecords; r++)
            {
                long record = b.FirstRecord + r;
                ulong v = ReadVarint(reader, p, ref pos, record, b);
                if ((v & 1) != 0)
                {
                    TraceEvent e = DecodeEvent(reader, p, ref pos, v >> 1, record, b);
                    events.Add((record, b.Owner, e));
                    if (e is ThreadEvent) nrThreads++;
                    continue;
                }
                if (b.Owner == 0) throw reader.ErrorAtRecord(record, b.FileOffset, "corrupt: an access in a setup block");
                int t = (int)b.Owner - 1;
                if (t >= nrThreads) throw reader.ErrorAtRecord(record, b.FileOffset, $"corrupt: block {b.Index} belongs to undeclared thread {t}");
                while (byThread.Count <= t) { byThread.Add([]); prev.Add(0); }
                ulong addr = prev[t] + (ulong)Varint.UnZigZag(v >> 2);
                prev[t] = addr;
                byThread[t].Add(new MemAccess(addr, (v & 2) != 0));
            }
            if (pos != p.Length)
                throw reader.ErrorAtRecord(b.FirstRecord + b.NrRecords, b.FileOffset, $"corrupt: block {b.Index} has {p.Length - pos} bytes after its last record");
        }
        while (byThread.Count < nrThreads) byThread.Add([]);
        long nrAccesses = byThread.Sum(l => (long)l.Count);
        if (reader.EndNrAccesses != nrAccesses)
            throw reader.Error(reader.Offset, $"corrupt: the end marker counts {reader.EndNrAccesses} accesses, the blocks hold {nrAccesses}");
        return new TraceContents(header, blocks, events, byThread, nrAccesses);
    }

    internal static Microsoft.Win32.SafeHandles.SafeFileHandle OpenHandle(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WorkloadFormatException(path, 0, $"cannot open trace: {e.Message}");
        }
    }

    internal static ulong ReadVarint(TraceBlockReader reader, ReadOnlySpan<byte> p, ref int pos, long record, TraceBlockInfo b)
    {
        try
        {
            if (Varint.TryRead(p, ref pos, out ulong v)) return v;
        }
        catch (FormatException e)
        {
            throw reader.ErrorAtRecord(record, b.FileOffset, $"corrupt record in block {b.Index}: {e.Message}");
        }
        throw reader.ErrorAtRecord(record, b.FileOffset, $"corrupt: block {b.Index} ends inside record {record}");
    }

    internal static TraceEvent DecodeEvent(TraceBlockReader reader, ReadOnlySpan<byte> p, ref int pos, ulong op, long record, TraceBlockInfo b)
    {
        try
        {
            return TraceEvent.Decode(p, ref pos, op)
                ?? throw reader.ErrorAtRecord(record, b.FileOffset, $"corrupt: block {b.Index} ends inside event record {record}");
        }
        catch (FormatException e)
        {
            throw reader.ErrorAtRecord(record, b.FileOffset, $"corrupt event in block {b.Index}: {e.Message}");
        }
    }
}
