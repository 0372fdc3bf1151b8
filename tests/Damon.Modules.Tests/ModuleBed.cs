using Damon.Core.Drivers;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Modules.Common;

namespace Damon.Modules.Tests;

/// <summary>Fixed readings: free memory rate and per-node sizes the test sets.</summary>
internal sealed class FakeMetrics : IDamonMetrics
{
    public ulong FreeMemRate { get; set; } = 300;
    public Dictionary<int, (ulong Total, ulong Free)> Nodes { get; } = [];

    public ulong FreeMemRatePermil() => FreeMemRate;

    public bool TryGetNodeMem(int nid, out ulong totalBytes, out ulong freeBytes)
    {
        bool ok = Nodes.TryGetValue(nid, out var n);
        (totalBytes, freeBytes) = n;
        return ok;
    }

    public bool TryGetMemcgNodeUsage(ulong memcgId, int nid, out ulong bytes)
    {
        bytes = 0;
        return false;
    }

    public void GetLruSizes(out ulong activeBytes, out ulong inactiveBytes) => (activeBytes, inactiveBytes) = (600, 400);

    public ulong SomeMemPsiTotalUs() => 0;
}

/// <summary>An engine with an in-memory paddr operations set, run in virtual time.</summary>
internal sealed class ModuleBed
{
    public const ulong KiB = 1UL << 10, MiB = 1UL << 20, GiB = 1UL << 30;

    public ModuleBed(OperationsId opsId = OperationsId.Paddr)
    {
        // vaddr sets regions up in init; paddr regions come from the module.
        var callbacks = OpsCallbacks.PrepareAccessChecks | OpsCallbacks.CheckAccesses | OpsCallbacks.GetSchemeScore | OpsCallbacks.ApplyScheme
            | (opsId == OperationsId.Vaddr ? OpsCallbacks.Init : OpsCallbacks.None);
        Ops = new TestOperations(opsId, callbacks);
        Engine.Registry.Register(Ops);
    }

    public DamonEngine Engine { get; } = new();
    public TestOperations Ops { get; }
    public VirtualTimeDriver Driver { get; } = new();
    public FakeMetrics Metrics { get; } = new();

    public void RunUntilMs(ulong ms) => Driver.RunUntil(ms * 1000);

    /// <summary>A PC-like map: low memory, memory below 3 GiB, and 5 GiB above 4 GiB.</summary>
    public static StaticMemoryLayout PcLayout { get; } = new(
    [
        new AddrRange(0x1000, 0x9f000),
        new AddrRange(0x100000, 0xc0000000),
        new AddrRange(0x100000000, 0x240000000),
    ],
    new Dictionary<int, AddrRange>
    {
        [0] = new(0, 0xc0000000),
        [1] = new(0x100000000, 0x240000000),
    });

    /// <summary>A small machine whose only System RAM is [0, size).</summary>
    public static StaticMemoryLayout Flat(ulong size) => new([new AddrRange(0, size)]);

    public static void AssertPattern(DamosAccessPattern expected, Damos s) => Xunit.Assert.Equal(expected, s.Pattern);
}
