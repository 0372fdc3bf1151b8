using Damon.Sim.Workloads;
using Microsoft.Win32.SafeHandles;

namespace Damon.Sim.Traces;

/// <summary>
/// Replays a binary trace: setup events re-create the processes, threads (on the recorded CPUs)
/// and mappings; each thread then replays its own accesses, with addresses shifted into the
/// mappings the replaying machine handed out. Each thread reads the file through its own cursor,
/// skipping other threads' blocks by their length, so nothing is buffered per thread. Simulated
/// time comes from the machine; each batch carries its share of the recorded compute time.
/// </summary>
public sealed class TraceReplayWorkload : IWorkload, IDisposable
{
    private readonly string _path;
    private readonly SafeFileHandle _file;
    private readonly AddressRelocation _reloc = new();
    private readonly List<int> _pidOfTracePid = [];
    private readonly List<int> _tracePidOfThread = [];
    private readonly Dictionary<int, Cursor> _cursorOfTid = [];

    public TraceReplayWorkload(string path)
    {
        _path = path;
        _file = TraceFile.OpenHandle(path);
        try { Header = TraceBlockReader.ReadHeader(_file, path); }
        catch { _file.Dispose(); throw; }
        Name = $"trace:{System.IO.Path.GetFileName(path)}";
    }

    public string Name { get; }
    public TraceHeader Header { get; }
    public AddressRelocation Relocation => _reloc;

    public void Setup(IWorkloadHost host)
    {
        var reader = new TraceBlockReader(_file, _path, TraceFormat.HeaderBytes, 0, 0);
        long firstBatchOffset = -1;
        int firstBatchBlock = 0;
        long firstBatchRecord = 0;
        var threadIds = new List<int>();
        while (reader.Next(out var peek, headerOnly: true))
        {
            if (peek.Owner != TraceFormat.SetupOwner)
            {
                firstBatchOffset = peek.FileOffset;
                firstBatchBlock = peek.Index;
                firstBatchRecord = peek.FirstRecord;
                break;
            }
            reader.Next(out var b);
            var p = reader.Payload;
            int pos = 0;
            for (long r = 0; r < b.NrRecords; r++)
            {
                long record = b.FirstRecord + r;
                ulong v = TraceFile.ReadVarint(reader, p, ref pos, record, b);
                if ((v & 1) == 0) throw reader.ErrorAtRecord(record, b.FileOffset, "corrupt: an access in a setup block");
                var e = TraceFile.DecodeEvent(reader, p, ref pos, v >> 1, record, b);
                if (e is ThreadEvent te)
                {
                    CheckPid(reader, te.Pid, record, b);
                    int tid = host.CreateThread(_pidOfTracePid[te.Pid], te.Cpu);
                    threadIds.Add(tid);
                    _tracePidOfThread.Add(te.Pid);
                }
                else Apply(host, reader, e, record, b);
            }
            if (pos != p.Length)
                throw reader.ErrorAtRecord(b.FirstRecord + b.NrRecords, b.FileOffset, $"corrupt: block {b.Index} has {p.Length - pos} bytes after its last record");
        }
        for (int t = 0; t < threadIds.Count; t++)
        {
            var cursor = new Cursor(this, t, firstBatchOffset < 0 ? null
                : new TraceBlockReader(_file, _path, firstBatchOffset, firstBatchBlock, firstBatchRecord, 1 << 18));
            _cursorOfTid[threadIds[t]] = cursor;
        }
    }

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
    {
        if (!_cursorOfTid.TryGetValue(tid, out var cursor))
            throw new ArgumentException($"{Name}: tid {tid} is not one of this trace's threads", nameof(tid));
        return cursor.Fill(host, batch, out computeNs);
    }

    public void Dispose() => _file.Dispose();

    private void CheckPid(TraceBlockReader reader, int pid, long record, TraceBlockInfo b)
    {
        if ((uint)pid >= (uint)_pidOfTracePid.Count)
            throw reader.ErrorAtRecord(record, b.FileOffset, $"corrupt: event refers to undeclared process {pid}");
    }

    private void Apply(IWorkloadHost host, TraceBlockReader reader, TraceEvent e, long record, TraceBlockInfo b)
    {
        try { ApplyEvent(host, reader, e, record, b); }
        catch (InvalidOperationException ex)   // overlapping recorded mappings
        {
            throw reader.ErrorAtRecord(record, b.FileOffset, $"corrupt: {ex.Message}");
        }
    }

    private void ApplyEvent(IWorkloadHost host, TraceBlockReader reader, TraceEvent e, long record, TraceBlockInfo b)
    {
        switch (e)
        {
            case ProcessEvent pe:
                _pidOfTracePid.Add(host.CreateProcess(pe.Name, pe.MemcgId));
                break;
            case MmapEvent me:
                CheckPid(reader, me.Pid, record, b);
                _reloc.Add(me.Pid, me.Addr, me.Size, host.Mmap(_pidOfTracePid[me.Pid], me.Size, me.Flags, me.Policy));
                break;
            case BrkEvent be:
                CheckPid(reader, be.Pid, record, b);
                _reloc.Add(be.Pid, be.Addr, be.GrowBytes, host.Brk(_pidOfTracePid[be.Pid], be.GrowBytes));
                break;
            case MunmapEvent ue:
                CheckPid(reader, ue.Pid, record, b);
                int pid = _pidOfTracePid[ue.Pid];
                _reloc.Remove(ue.Pid, ue.Addr, ue.Size, (addr, len) => host.Munmap(pid, addr, len));
                break;
            case ThreadEvent:
                throw reader.ErrorAtRecord(record, b.FileOffset, "thread creation after the first batch is not supported by replay");
        }
    }

    /// <summary>One replayed thread's position in the file.</summary>
    private sealed class Cursor(TraceReplayWorkload owner, int thread, TraceBlockReader? reader)
    {
        private readonly long _ownerId = thread + 1;
        private readonly int _tracePid = owner._tracePidOfThread[thread];
        private TraceBlockInfo _block;
        private int _pos;
        private long _left;            // records left in _block
        private ulong _computeCharged; // of _block.ComputeNs
        private ulong _prev;
        private AddressRelocation.Cache _cache;
        private bool _done = reader is null;

        public int Fill(IWorkloadHost host, Span<MemAccess> batch, out ulong computeNs)
        {
            computeNs = 0;
            int i = 0;
            while (i < batch.Length)
            {
                if (_left == 0 && !NextBlock()) break;
                var p = reader!.Payload;
                i = Decode(host, p, batch, i);
                // The block's compute time is charged in proportion to the records consumed.
                ulong consumed = (ulong)(_block.NrRecords - _left);
                ulong due = (ulong)((UInt128)_block.ComputeNs * consumed / (ulong)_block.NrRecords);
                computeNs += due - _computeCharged;
                _computeCharged = due;
                if (_left == 0 && _pos != p.Length)
                    throw reader.ErrorAtRecord(_block.FirstRecord + _block.NrRecords, _block.FileOffset,
                        $"corrupt: block {_block.Index} has {p.Length - _pos} bytes after its last record");
            }
            return i;
        }

        private int Decode(IWorkloadHost host, ReadOnlySpan<byte> p, Span<MemAccess> batch, int i)
        {
            var reloc = owner._reloc;
            int pos = _pos;
            long left = _left;
            ulong prev = _prev;
            while (left > 0 && i < batch.Length)
            {
                ulong v;
                if ((uint)pos < (uint)p.Length && p[pos] < 0x80) v = p[pos++];
                else v = TraceFile.ReadVarint(reader!, p, ref pos, Record(left), _block);
                if ((v & 1) == 0)
                {
                    ulong addr = prev + (ulong)Varint.UnZigZag(v >> 2);
                    prev = addr;
                    if (!reloc.TryTranslate(_tracePid, addr, ref _cache, out ulong moved))
                        throw reader!.ErrorAtRecord(Record(left), _block.FileOffset,
                            $"access to 0x{addr:x} outside every mapping of trace process {_tracePid}");
                    batch[i++] = new MemAccess(moved, (v & 2) != 0);
                    left--;
                    continue;
                }
                var e = TraceFile.DecodeEvent(reader!, p, ref pos, v >> 1, Record(left), _block);
                owner.Apply(host, reader!, e, Record(left), _block);
                left--;
            }
            _pos = pos;
            _left = left;
            _prev = prev;
            return i;
        }

        private long Record(long left) => _block.FirstRecord + (_block.NrRecords - left);

        private bool NextBlock()
        {
            if (_done) return false;
            while (reader!.Next(out var b))
            {
                if (b.Owner == _ownerId)
                {
                    _block = b;
                    _pos = 0;
                    _left = b.NrRecords;
                    _computeCharged = 0;
                    return true;
                }
                if (b.Owner == TraceFormat.SetupOwner)
                    throw reader.ErrorAtRecord(b.FirstRecord, b.FileOffset, "corrupt: a setup block after the first batch");
                if (b.Owner - 1 >= owner._tracePidOfThread.Count)
                    throw reader.ErrorAtRecord(b.FirstRecord, b.FileOffset, $"corrupt: block {b.Index} belongs to undeclared thread {b.Owner - 1}");
            }
            _done = true;
            return false;
        }
    }
}
