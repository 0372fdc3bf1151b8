using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Rng;

namespace Damon.Tiering.ReportUseCases;

/// <summary>One process of <see cref="WriterProcessesWorkload"/>: its name, how much it writes, how big its written area is.</summary>
public sealed record WriterSpec(string Name, double WriteShare, ulong WriteBytes);

/// <summary>
/// The live-migration use case's machine load: several single-threaded processes (VMs), each
/// reading random cache lines of its own read area and, with probability
/// <see cref="WriterSpec.WriteShare"/>, storing to a random line of its own write area instead. The
/// stores are plain stores to lines the process never reads, so the first access to a written
/// page after DAMON protects it is a write (a read-modify-write would fault on its read and be
/// reported as one, docs/access-reports.md). Ground truth: every store and the thread's time.
/// </summary>
public sealed class WriterProcessesWorkload : IWorkload
{
    private readonly Dictionary<int, int> _indexOfTid = [];
    private Xoshiro256[] _rng = [];
    private ulong[] _readStart = [], _writeStart = [];

    public WriterProcessesWorkload(IReadOnlyList<WriterSpec> writers, ulong readBytes, double computeNsPerAccess)
    {
        if (writers.Count == 0)
            throw new ArgumentException("at least one process is needed", nameof(writers));
        foreach (var s in writers)
            if (!(s.WriteShare > 0 && s.WriteShare < 1) || s.WriteBytes < 64)
                throw new ArgumentException($"{s.Name}: the write share must be in (0, 1) and the write area at least one line");
        Writers = writers;
        ReadBytes = readBytes;
        ComputeNsPerAccess = computeNsPerAccess;
        NrWrites = new ulong[writers.Count];
    }

    public string Name => "writers";
    public IReadOnlyList<WriterSpec> Writers { get; }
    public ulong ReadBytes { get; }
    public double ComputeNsPerAccess { get; }
    /// <summary>Each process's pid, in <see cref="Writers"/> order.</summary>
    public int[] Pids { get; private set; } = [];
    /// <summary>Stores each process made (64 bytes each).</summary>
    public ulong[] NrWrites { get; }

    public void Setup(IWorkloadHost host)
    {
        int n = Writers.Count;
        Pids = new int[n];
        _rng = new Xoshiro256[n];
        _readStart = new ulong[n];
        _writeStart = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            Pids[i] = host.CreateProcess(Writers[i].Name);
            _readStart[i] = host.Mmap(Pids[i], ReadBytes);
            _writeStart[i] = host.Mmap(Pids[i], (Writers[i].WriteBytes + PageSizes.PageSize - 1) & ~(PageSizes.PageSize - 1));
            _indexOfTid[host.CreateThread(Pids[i], i)] = i;
            _rng[i] = new Xoshiro256(SplitMix64.Derive(host.Seed, (ulong)i));
        }
    }

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
    {
        int p = _indexOfTid[tid];
        ref var rng = ref _rng[p];
        double share = Writers[p].WriteShare;
        ulong readLines = ReadBytes / 64, writeLines = Writers[p].WriteBytes / 64;
        ulong writes = 0;
        for (int i = 0; i < batch.Length; i++)
        {
            if (rng.NextDouble() < share)
            {
                batch[i] = new MemAccess(_writeStart[p] + rng.NextBelow(writeLines) * 64, true);
                writes++;
            }
            else
                batch[i] = new MemAccess(_readStart[p] + rng.NextBelow(readLines) * 64, false);
        }
        NrWrites[p] += writes;
        computeNs = (ulong)(batch.Length * ComputeNsPerAccess);
        return batch.Length;
    }
}
