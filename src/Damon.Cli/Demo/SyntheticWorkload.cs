using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Util;

namespace Damon.Cli.Demo;

/// <summary>
/// A process-like address space with heap, mmap area and stack, whose mmap area holds a hot
/// working set that moves to a new place halfway through. Small enough to watch DAMON find it.
/// </summary>
public sealed class SyntheticWorkload
{
    public const ulong MiB = 1 << 20;

    public SyntheticWorkload(ulong seed)
    {
        _rng = new DamonRandom(seed ^ 0x5eed);
        Vmas =
        [
            new AddrRange(0x0000_5555_0000_0000, 0x0000_5555_0000_0000 + 64 * MiB),      // heap
            new AddrRange(0x0000_7f00_0000_0000, 0x0000_7f00_0000_0000 + 1024 * MiB),    // mmap area
            new AddrRange(0x0000_7ffe_0000_0000, 0x0000_7ffe_0000_0000 + 8 * MiB),       // stack
        ];
    }

    private readonly DamonRandom _rng;

    public AddrRange[] Vmas { get; }

    /// <summary>Seconds after which the hot set moves.</summary>
    public double PhaseChangeSec { get; init; } = 10;

    /// <summary>Where the hot working set is at simulated time <paramref name="nowUs"/>.</summary>
    public AddrRange HotRange(ulong nowUs)
    {
        var mmap = Vmas[1];
        ulong offset = nowUs < PhaseChangeSec * 1_000_000 ? 128 * MiB : 640 * MiB;
        return new AddrRange(mmap.Start + offset, mmap.Start + offset + 96 * MiB);
    }

    /// <summary>
    /// Whether an address was accessed during the last sampling interval: the hot set almost
    /// always, the stack often, the heap rarely, the rest of the mmap area never.
    /// </summary>
    public bool WasAccessed(ulong addr, ulong nowUs)
    {
        uint permil;
        var hot = HotRange(nowUs);
        if (addr >= hot.Start && addr < hot.End) permil = 950;
        else if (addr >= Vmas[2].Start) permil = 600;
        else if (addr < Vmas[0].End) permil = 50;
        else permil = 0;
        return permil != 0 && _rng.Next(0, 1000) < permil;
    }

    /// <summary>An operations set over this workload: vaddr with fixed initial VMAs.</summary>
    public TestOperations CreateOperations(Func<ulong> nowUs)
    {
        var ops = new TestOperations(OperationsId.Vaddr,
            OpsCallbacks.Init | OpsCallbacks.PrepareAccessChecks | OpsCallbacks.CheckAccesses
            | OpsCallbacks.GetSchemeScore | OpsCallbacks.ApplyScheme);
        ops.IsAccessed = (_, addr) => WasAccessed(addr, nowUs());
        ops.InitRegions = (ctx, t) =>
        {
            Span<AddrRange> three = stackalloc AddrRange[3];
            if (VaddrRegions.ThreeRegionsInVmas(Vmas, DamonContext.DefaultMinRegionSz, three))
                DamonCore.SetRegions(t, three, DamonContext.DefaultMinRegionSz);
        };
        return ops;
    }
}
