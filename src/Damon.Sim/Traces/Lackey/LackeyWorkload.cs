using Damon.Sim.Workloads;

namespace Damon.Sim.Traces.Lackey;

/// <summary>
/// Replays lackey text output directly: one process with one thread (lackey does not say which
/// thread made an access). A first pass finds the touched address space and maps it; the second
/// streams the records, shifted into those mappings. Each batch's compute time is the number of
/// instructions (I lines) it covers times <see cref="LackeyOptions.NsPerInstr"/>. For repeated or
/// large replays, convert once with <see cref="LackeyConverter"/> and replay the binary trace.
/// </summary>
public sealed class LackeyWorkload : IWorkload, IDisposable
{
    private readonly string _path;
    private readonly LackeyOptions _o;
    private readonly AddressRelocation _reloc = new();
    private AddressRelocation.Cache _cache;
    private LackeyReader? _reader;
    private int _tid = -1;
    private long _instrs;
    private bool _done;
    private readonly PendingAccesses _pending = new();

    public LackeyWorkload(string path, LackeyOptions? options = null)
    {
        _path = path;
        _o = options ?? new LackeyOptions();
        Name = $"lackey:{Path.GetFileName(path)}";
    }

    public string Name { get; }
    public AddressRelocation Relocation => _reloc;

    public void Setup(IWorkloadHost host)
    {
        var segments = LackeyExpander.Segments(_path, _o);
        int pid = host.CreateProcess("lackey");
        foreach (var (start, end) in segments)
            _reloc.Add(0, start, end - start, host.Mmap(pid, end - start));
        _tid = host.CreateThread(pid, _o.Cpu);
        _reader = LackeyReader.Open(_path);
    }

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
    {
        computeNs = 0;
        if (tid != _tid) throw new ArgumentException($"{Name}: tid {tid} is not this trace's thread", nameof(tid));
        if (_reader is null) return 0;
        int i = _pending.Drain(batch, 0);
        Span<(ulong Addr, bool Write)> tmp = stackalloc (ulong, bool)[LackeyExpander.MaxAccessesPerRecord];
        long instrsBefore = _instrs;
        while (i < batch.Length && !_done)
        {
            if (!_reader.Next(out var r)) { _done = true; _reader.Dispose(); break; }
            if (r.Kind == LackeyKind.Instr) _instrs++;
            int n = LackeyExpander.Expand(r, _o.Fetches, tmp);
            if (n == 0) continue;
            var staged = _pending.Stage(n);
            for (int k = 0; k < n; k++)
            {
                if (!_reloc.TryTranslate(0, tmp[k].Addr, ref _cache, out ulong moved))
                    throw new WorkloadFormatException(_path, r.Line, $"address 0x{tmp[k].Addr:x} changed between the two passes over the file");
                staged[k] = new MemAccess(moved, tmp[k].Write);
            }
            i = _pending.Drain(batch, i);
        }
        // Charged from the running total, so per-batch rounding never loses time.
        computeNs = (ulong)(_instrs * _o.NsPerInstr) - (ulong)(instrsBefore * _o.NsPerInstr);
        return i;
    }

    public void Dispose() => _reader?.Dispose();
}
