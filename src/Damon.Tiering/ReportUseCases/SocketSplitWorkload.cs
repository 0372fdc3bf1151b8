using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Rng;

namespace Damon.Tiering.ReportUseCases;

/// <summary>
/// The NUMA-placement use case's program: one process, one region per socket (A for socket 0, B
/// for socket 1), <see cref="ThreadsPerSocket"/> threads pinned to each socket's CPUs. The main
/// thread (thread 0, socket 0) first writes every page of both regions once, as a program that
/// initialises its data before starting workers does, so first touch puts everything on socket
/// 0's node; the other threads spin on a page of their own (local, one access per
/// <see cref="SpinNs"/>) until it is done. Then every thread makes <see cref="AccessesPerThread"/>
/// accesses to random cache lines: a share <see cref="OwnShare"/> of them to its socket's region,
/// the rest to the other one; <see cref="WriteShare"/> of them are plain stores. A thread finishes
/// when its accesses are done, so the run's runtime is the time the last thread needs. With
/// <see cref="ColdBytes"/>, the main thread also writes a third region C after A and B that nobody
/// touches again: memory cold to every accessor, for demotion.
/// </summary>
public sealed class SocketSplitWorkload : IWorkload, Harness.IAccessorRegions
{
    public const ulong SpinNs = 1_000;

    private readonly int[][] _socketCpus;
    private readonly Dictionary<int, int> _indexOfTid = [];
    private Xoshiro256[] _rng = [];
    private int[] _socketOf = [];
    private ulong[] _spinPage = [];
    private ulong[] _done = [];
    private ulong _populated;

    /// <param name="socketCpus">The CPUs of socket 0 and of socket 1; threads are pinned to them in turn.</param>
    public SocketSplitWorkload(int[][] socketCpus, int threadsPerSocket, ulong regionBytes, ulong accessesPerThread,
        double ownShare, double writeShare, double computeNsPerAccess, ulong coldBytes = 0)
    {
        if (socketCpus.Length != 2 || socketCpus.Any(c => c.Length == 0))
            throw new ArgumentException("two sockets with at least one CPU each are needed", nameof(socketCpus));
        ArgumentOutOfRangeException.ThrowIfLessThan(threadsPerSocket, 1);
        if (regionBytes < PageSizes.PageSize || regionBytes % PageSizes.PageSize != 0)
            throw new ArgumentException("a region is a positive number of 4 KiB pages", nameof(regionBytes));
        if (coldBytes % PageSizes.PageSize != 0)
            throw new ArgumentException("the cold region is a whole number of 4 KiB pages", nameof(coldBytes));
        if (!(ownShare >= 0 && ownShare <= 1) || !(writeShare >= 0 && writeShare <= 1))
            throw new ArgumentException("shares are fractions in [0, 1]");
        _socketCpus = socketCpus;
        ThreadsPerSocket = threadsPerSocket;
        RegionBytes = regionBytes;
        AccessesPerThread = accessesPerThread;
        OwnShare = ownShare;
        WriteShare = writeShare;
        ComputeNsPerAccess = computeNsPerAccess;
        ColdBytes = coldBytes;
    }

    public string Name => "socket-split";
    public int ThreadsPerSocket { get; }
    public ulong RegionBytes { get; }
    public ulong AccessesPerThread { get; }
    public double OwnShare { get; }
    public double WriteShare { get; }
    public double ComputeNsPerAccess { get; }
    /// <summary>Size of region C, written once at set-up and never again (0: no region C).</summary>
    public ulong ColdBytes { get; }
    /// <summary>Start of region C (0 without it).</summary>
    public ulong ColdStart { get; private set; }

    public int Pid { get; private set; }
    /// <summary>Start of region A (socket 0's) and region B (socket 1's).</summary>
    public ulong[] RegionStart { get; } = new ulong[2];
    /// <summary>The main thread's clock when it had written every page: the run phase starts here.</summary>
    public ulong? PopulatedNs { get; private set; }
    /// <summary>Each thread's clock when it finished its accesses (null while running), by thread index.</summary>
    public ulong?[] FinishedNs { get; private set; } = [];
    /// <summary>Accesses that were not part of the run phase: the main thread's first writes and every spin.</summary>
    public ulong SetupAccesses { get; private set; }
    public IReadOnlyList<int> Tids => [.. _indexOfTid.OrderBy(kv => kv.Value).Select(kv => kv.Key)];

    public void Setup(IWorkloadHost host)
    {
        Pid = host.CreateProcess(Name);
        RegionStart[0] = host.Mmap(Pid, RegionBytes);
        RegionStart[1] = host.Mmap(Pid, RegionBytes);
        if (ColdBytes > 0) ColdStart = host.Mmap(Pid, ColdBytes);
        int n = 2 * ThreadsPerSocket;
        _rng = new Xoshiro256[n];
        _socketOf = new int[n];
        _spinPage = new ulong[n];
        _done = new ulong[n];
        FinishedNs = new ulong?[n];
        for (int i = 0; i < n; i++)
        {
            // Thread 0 is the main thread on socket 0; then the sockets alternate.
            int socket = i % 2, k = i / 2;
            _socketOf[i] = socket;
            int tid = host.CreateThread(Pid, _socketCpus[socket][k % _socketCpus[socket].Length]);
            _indexOfTid[tid] = i;
            _rng[i] = new Xoshiro256(SplitMix64.Derive(host.Seed, (ulong)i));
            _spinPage[i] = host.Mmap(Pid, PageSizes.PageSize);
        }
    }

    /// <summary>Region A is socket 0's, region B socket 1's.</summary>
    public IReadOnlyList<Harness.AccessorRegion> AccessorRegions =>
        [new("A", Pid, RegionStart[0], RegionBytes, 0), new("B", Pid, RegionStart[1], RegionBytes, 1)];

    /// <summary>The socket thread <paramref name="tid"/> runs on.</summary>
    public int SocketOfTid(int tid) => _socketOf[_indexOfTid[tid]];

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
    {
        int t = _indexOfTid[tid];
        computeNs = 0;
        ulong pages = RegionBytes / PageSizes.PageSize;
        if (PopulatedNs is null)
        {
            if (t != 0)
            {
                batch[0] = new MemAccess(_spinPage[t], false);
                computeNs = SpinNs;
                SetupAccesses++;
                return 1;
            }
            ulong setupPages = 2 * pages + ColdBytes / PageSizes.PageSize;
            int n = (int)Math.Min((ulong)batch.Length, setupPages - _populated);
            for (int i = 0; i < n; i++, _populated++)
                batch[i] = new MemAccess(_populated < 2 * pages
                    ? RegionStart[_populated / pages] + _populated % pages * PageSizes.PageSize
                    : ColdStart + (_populated - 2 * pages) * PageSizes.PageSize, true);
            SetupAccesses += (ulong)n;
            computeNs = (ulong)(n * ComputeNsPerAccess);
            // The batch runs right after this call, before any other thread's: waiters see the pages written.
            if (_populated == setupPages)
                PopulatedNs = nowNs;
            return n;
        }
        if (_done[t] == AccessesPerThread)
        {
            FinishedNs[t] ??= nowNs;
            return 0;
        }
        int m = (int)Math.Min((ulong)batch.Length, AccessesPerThread - _done[t]);
        ref var rng = ref _rng[t];
        int own = _socketOf[t];
        ulong lines = RegionBytes / 64;
        for (int i = 0; i < m; i++)
        {
            int region = rng.NextDouble() < OwnShare ? own : 1 - own;
            ulong addr = RegionStart[region] + rng.NextBelow(lines) * 64;
            batch[i] = new MemAccess(addr, rng.NextDouble() < WriteShare);
        }
        _done[t] += (ulong)m;
        computeNs = (ulong)(m * ComputeNsPerAccess);
        return m;
    }
}
