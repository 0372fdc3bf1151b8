using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Rng;

namespace Damon.Tiering.ReportUseCases;

/// <summary>
/// The cache-aware-scheduling use case's program: one process whose threads each own a hot range
/// of one shared mapping (thread i: bytes [i × <see cref="HotBytes"/>, (i + 1) × HotBytes) of it)
/// and share a cold area after them. A thread's access goes to a random line of its own range
/// with probability <see cref="HotShare"/>, else to a random line of the cold area; a share
/// <see cref="WriteShare"/> of them are stores. Ground truth: thread i uses hot range i.
/// </summary>
public sealed class ThreadRangesWorkload(int nrThreads, ulong hotBytes, ulong coldBytes, double hotShare, double writeShare,
    double computeNsPerAccess) : IWorkload
{
    private readonly Dictionary<int, int> _indexOfTid = [];
    private Xoshiro256[] _rng = [];

    public string Name => "thread-ranges";
    public int NrThreads { get; } = nrThreads >= 1 ? nrThreads : throw new ArgumentOutOfRangeException(nameof(nrThreads));
    public ulong HotBytes { get; } = hotBytes >= PageSizes.PageSize && hotBytes % PageSizes.PageSize == 0 ? hotBytes
        : throw new ArgumentException("a hot range is a positive number of 4 KiB pages", nameof(hotBytes));
    public ulong ColdBytes { get; } = coldBytes >= PageSizes.PageSize && coldBytes % PageSizes.PageSize == 0 ? coldBytes
        : throw new ArgumentException("the cold area is a positive number of 4 KiB pages", nameof(coldBytes));
    public double HotShare { get; } = hotShare;
    public double WriteShare { get; } = writeShare;

    public int Pid { get; private set; }
    public ulong Start { get; private set; }
    /// <summary>Thread ids, thread i's at index i.</summary>
    public int[] Tids { get; private set; } = [];

    /// <summary>Thread <paramref name="i"/>'s hot range, [start, end).</summary>
    public (ulong Start, ulong End) HotRange(int i) => (Start + (ulong)i * HotBytes, Start + (ulong)(i + 1) * HotBytes);

    public void Setup(IWorkloadHost host)
    {
        Pid = host.CreateProcess(Name);
        Start = host.Mmap(Pid, (ulong)NrThreads * HotBytes + ColdBytes);
        Tids = new int[NrThreads];
        _rng = new Xoshiro256[NrThreads];
        for (int i = 0; i < NrThreads; i++)
        {
            Tids[i] = host.CreateThread(Pid, i);
            _indexOfTid[Tids[i]] = i;
            _rng[i] = new Xoshiro256(SplitMix64.Derive(host.Seed, (ulong)i));
        }
    }

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
    {
        int t = _indexOfTid[tid];
        ref var rng = ref _rng[t];
        ulong hotStart = HotRange(t).Start, coldStart = Start + (ulong)NrThreads * HotBytes;
        ulong hotLines = HotBytes / 64, coldLines = ColdBytes / 64;
        for (int i = 0; i < batch.Length; i++)
        {
            ulong addr = rng.NextDouble() < HotShare ? hotStart + rng.NextBelow(hotLines) * 64 : coldStart + rng.NextBelow(coldLines) * 64;
            batch[i] = new MemAccess(addr, rng.NextDouble() < WriteShare);
        }
        computeNs = (ulong)(batch.Length * computeNsPerAccess);
        return batch.Length;
    }
}
