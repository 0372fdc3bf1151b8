using System.Buffers.Binary;
using Damon.Sim.Workloads;

namespace Damon.Sim.Traces;

/// <summary>
/// Writes a binary trace (docs/trace-format.md). Crash-safe: everything goes to a temporary file
/// next to the destination, which <see cref="Complete"/> flushes to disk and renames over it; a
/// writer disposed without Complete deletes its temporary file, so the destination never holds a
/// partial trace. Setup events (processes, threads, mappings) come first, then batches: each batch
/// belongs to one thread and holds its accesses and any mapping changes it made.
/// </summary>
public sealed class TraceWriter : IDisposable
{
    private readonly string _path;
    private readonly string _tempPath;
    private FileStream? _out;
    private byte[] _payload = new byte[1 << 16];
    private int _payloadLen;
    private readonly List<byte> _eventBytes = [];

    private long _owner = -1;           // -1: no open block; 0: setup block; t + 1: thread t
    private ulong _blockStartNs;
    private long _blockRecords;
    private bool _anyBatch;
    private bool _completed;

    private int _nrProcesses;
    private readonly List<int> _threadPid = [];
    private readonly List<ulong> _prevAddr = [];
    private readonly List<ulong> _lastStartNs = [];

    public TraceWriter(string path, uint pageSize = 4096)
    {
        _path = Path.GetFullPath(path);
        _tempPath = $"{_path}.tmp{Environment.ProcessId}-{Random.Shared.Next():x8}";
        _out = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> h = stackalloc byte[TraceFormat.HeaderBytes];
        h.Clear();
        TraceFormat.Magic.CopyTo(h);
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], TraceFormat.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(h[10..], TraceFormat.HeaderBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], pageSize);
        _out.Write(h);
    }

    public string DestinationPath => _path;
    public long NrRecords { get; private set; }
    public long NrAccesses { get; private set; }
    public long NrBlocks { get; private set; }
    public int NrThreads => _threadPid.Count;

    public int AddProcess(string name, ulong memcgId = 0)
    {
        AddEvent(new ProcessEvent(name, memcgId));
        return _nrProcesses++;
    }

    public int AddThread(int pid, int cpu)
    {
        CheckPid(pid);
        AddEvent(new ThreadEvent(pid, cpu));
        _threadPid.Add(pid);
        _prevAddr.Add(0);
        _lastStartNs.Add(0);
        return _threadPid.Count - 1;
    }

    public void Mmap(int pid, ulong addr, ulong sizeBytes, MapFlags flags = MapFlags.Anon, MemPolicy? policy = null)
    {
        CheckPid(pid);
        AddEvent(new MmapEvent(pid, addr, sizeBytes, flags, policy));
    }

    public void Brk(int pid, ulong addr, ulong growBytes)
    {
        CheckPid(pid);
        AddEvent(new BrkEvent(pid, addr, growBytes));
    }

    public void Munmap(int pid, ulong addr, ulong sizeBytes)
    {
        CheckPid(pid);
        AddEvent(new MunmapEvent(pid, addr, sizeBytes));
    }

    /// <summary>Starts thread <paramref name="thread"/>'s batch beginning at its clock <paramref name="startNs"/>.</summary>
    public void BeginBatch(int thread, ulong startNs)
    {
        ObjectDisposedException.ThrowIf(_out is null, this);
        if ((uint)thread >= (uint)_threadPid.Count) throw new ArgumentOutOfRangeException(nameof(thread), $"no trace thread {thread}");
        if (startNs < _lastStartNs[thread])
            throw new InvalidOperationException($"trace thread {thread}: batch starts at {startNs} ns, before its previous batch at {_lastStartNs[thread]} ns");
        FlushBlock(0);
        _lastStartNs[thread] = startNs;
        _owner = thread + 1;
        _blockStartNs = startNs;
        _anyBatch = true;
    }

    public void Append(MemAccess access)
    {
        if (_owner <= 0) throw new InvalidOperationException("accesses must be written inside a batch (BeginBatch)");
        ulong addr = access.Addr;
        if (addr >= TraceFormat.AddressLimit) throw new ArgumentOutOfRangeException(nameof(access), $"address 0x{addr:x} is beyond the format's 2^61 limit");
        int t = (int)_owner - 1;
        ulong zz = Varint.ZigZag((long)(addr - _prevAddr[t]));
        _prevAddr[t] = addr;
        if (_payload.Length - _payloadLen < Varint.MaxBytes) Grow(Varint.MaxBytes);
        _payloadLen = Varint.Write(_payload, _payloadLen, (zz << 2) | (access.Write ? 2UL : 0UL));
        _blockRecords++;
        NrAccesses++;
    }

    public void Append(ReadOnlySpan<MemAccess> accesses)
    {
        if (_owner <= 0) throw new InvalidOperationException("accesses must be written inside a batch (BeginBatch)");
        int t = (int)_owner - 1;
        ulong prev = _prevAddr[t];
        if (_payload.Length - _payloadLen < accesses.Length * Varint.MaxBytes) Grow(accesses.Length * Varint.MaxBytes);
        var buf = _payload;
        int len = _payloadLen;
        foreach (var a in accesses)
        {
            if (a.Addr >= TraceFormat.AddressLimit)
                throw new ArgumentOutOfRangeException(nameof(accesses), $"address 0x{a.Addr:x} is beyond the format's 2^61 limit");
            ulong zz = Varint.ZigZag((long)(a.Addr - prev));
            prev = a.Addr;
            len = Varint.Write(buf, len, (zz << 2) | (a.Write ? 2UL : 0UL));
        }
        _payloadLen = len;
        _prevAddr[t] = prev;
        _blockRecords += accesses.Length;
        NrAccesses += accesses.Length;
    }

    /// <summary>Ends the current batch; <paramref name="computeNs"/> is its CPU time besides memory latency.</summary>
    public void EndBatch(ulong computeNs)
    {
        if (_owner <= 0) throw new InvalidOperationException("EndBatch without BeginBatch");
        FlushBlock(computeNs);
    }

    /// <summary>Writes the end marker, flushes to disk and renames the temporary file to the destination.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_out is null, this);
        FlushBlock(0);
        Span<byte> tail = stackalloc byte[1 + 3 * Varint.MaxBytes + 4];
        tail[0] = TraceFormat.EndBlockTag;
        int n = 1;
        n = Varint.Write(tail, n, (ulong)NrBlocks);
        n = Varint.Write(tail, n, (ulong)NrRecords);
        n = Varint.Write(tail, n, (ulong)NrAccesses);
        TraceFormat.EndMagic.CopyTo(tail[n..]);
        _out.Write(tail[..(n + 4)]);
        _out.Flush(flushToDisk: true);
        _out.Dispose();
        _out = null;
        File.Move(_tempPath, _path, overwrite: true);
        _completed = true;
    }

    public void Dispose()
    {
        if (_out is null) return;
        _out.Dispose();
        _out = null;
        if (!_completed) File.Delete(_tempPath);
    }

    private void AddEvent(TraceEvent e)
    {
        ObjectDisposedException.ThrowIf(_out is null, this);
        if (_owner < 0)
        {
            if (_anyBatch) throw new InvalidOperationException("setup events (outside a batch) must come before the first batch");
            _owner = 0;
            _blockStartNs = 0;
        }
        _eventBytes.Clear();
        e.Encode(_eventBytes);
        if (_payload.Length - _payloadLen < _eventBytes.Count) Grow(_eventBytes.Count);
        _eventBytes.CopyTo(_payload, _payloadLen);
        _payloadLen += _eventBytes.Count;
        _blockRecords++;
    }

    private void FlushBlock(ulong computeNs)
    {
        if (_owner < 0) return;
        if (_blockRecords > 0)
        {
            Span<byte> h = stackalloc byte[1 + 5 * Varint.MaxBytes];
            h[0] = TraceFormat.DataBlockTag;
            int n = 1;
            n = Varint.Write(h, n, (ulong)_owner);
            n = Varint.Write(h, n, _blockStartNs);
            n = Varint.Write(h, n, computeNs);
            n = Varint.Write(h, n, (ulong)_blockRecords);
            n = Varint.Write(h, n, (ulong)_payloadLen);
            _out!.Write(h[..n]);
            _out.Write(_payload, 0, _payloadLen);
            NrBlocks++;
            NrRecords += _blockRecords;
        }
        _payloadLen = 0;
        _blockRecords = 0;
        // A setup block stays the current owner until a batch starts, so later setup events join it.
        _owner = _owner == 0 ? 0 : -1;
        if (_owner == 0 && _anyBatch) _owner = -1;
    }

    private void Grow(int need)
    {
        int size = _payload.Length;
        while (size - _payloadLen < need) size *= 2;
        Array.Resize(ref _payload, size);
    }

    private void CheckPid(int pid)
    {
        if ((uint)pid >= (uint)_nrProcesses) throw new ArgumentOutOfRangeException(nameof(pid), $"no trace process {pid}");
    }
}
