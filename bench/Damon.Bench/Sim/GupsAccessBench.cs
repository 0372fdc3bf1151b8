using BenchmarkDotNet.Attributes;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;

namespace Damon.Bench.Sim;

/// <summary>
/// GUPS-like random read-modify-write accesses to a hot set that fits in cache, through the
/// machine's access loop, against a bare loop that draws the same random numbers and sets the same
/// page bits (the limit for that access stream). Both report per access (OperationsPerInvoke);
/// the targets are ≥ 100 M accesses/s for <see cref="Machine"/> and a Bare/Machine time
/// ratio ≥ 0.5. <see cref="Caches"/> runs the loop with the LLC and TLB model on or off (the
/// issue 12 target: on keeps ≥ 0.5 of off's throughput). <see cref="TreeBits"/> adds the
/// page-table-tree bits (issue 14).
/// </summary>
public class GupsAccessBench
{
    internal const int BatchSize = 4096;
    private SimMachine _m = null!;
    private SimThread _th = null!;
    private ulong _base;
    private ulong _rng;
    private readonly MemAccess[] _batch = new MemAccess[BatchSize];
    private ushort[] _bits = [];

    [Params(1UL << 20, 16UL << 20)]
    public ulong HotSetBytes { get; set; }

    [Params(false, true)]
    public bool Caches { get; set; }

    /// <summary>The process keeps PMD/PUD accessed bits (the ptp monitoring mode); off must cost nothing measurable.</summary>
    [Params(false, true)]
    public bool TreeBits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Hot sets beyond 1 GiB (cpu-probe gups 4096 ...) get a DRAM node that holds them, so the
        // loop can be timed at footprints whose page table and flags are far larger than the host's caches.
        ulong dramBytes = Math.Max(1UL << 30, HotSetBytes + (256UL << 20));
        _m = new SimMachine(MachineSpec.DefaultTwoTier(dramBytes, 1UL << 30) with { LinuxDefault = false, Caches = Caches });
        int pid = _m.CreateProcess("gups");
        _th = _m.Thread(_m.CreateThread(pid, 0));
        _base = _m.Mmap(pid, HotSetBytes);
        if (TreeBits)
            _m.Process(pid).PageTable.EnableTreeBits();
        for (ulong off = 0; off < HotSetBytes; off += PageSizes.PageSize)
            _m.RunBatch(_th, [new MemAccess(_base + off, true)], 0);
        _bits = new ushort[HotSetBytes >> PageSizes.PageShift];
        _rng = 88172645463325252UL;
    }

    private void Fill()
    {
        ulong mask = HotSetBytes - 1, rng = _rng;
        for (int i = 0; i < BatchSize; i++)
        {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            _batch[i] = new MemAccess(_base + ((rng & mask) & ~7UL), (rng & 1) == 0);
        }
        _rng = rng;
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void Machine()
    {
        Fill();
        _m.RunBatch(_th, _batch, 0);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public void Bare()
    {
        Fill();
        var bits = _bits;
        for (int i = 0; i < BatchSize; i++)
        {
            ulong p = (_batch[i].Addr - _base) >> PageSizes.PageShift;
            bits[p] |= _batch[i].Write ? (ushort)(PageFlags.Young | PageFlags.Dirty) : (ushort)PageFlags.Young;
        }
    }
}
