using Damon.Core.Monitoring;
using Damon.Core.Schemes;
using Damon.Linux.Actions;
using Damon.Linux.Procfs;
using Damon.Linux.Syscalls;
using Damon.Linux.Tests.Syscalls;
using Xunit;

namespace Damon.Linux.Tests.Actions;

public class LinuxVaddrOperationsTests
{
    [Fact]
    public void Init_gives_our_process_the_three_regions_of_its_maps()
    {
        using var actions = new LinuxDamosActions(LinuxCapabilities.Probe());
        var ops = new LinuxVaddrOperations(actions);
        var ctx = new DamonContext(seed: 1) { Ops = ops };
        var t = new Target(Environment.ProcessId);
        ctx.AddTarget(t);
        ops.Init(ctx);
        Assert.Equal(3, t.NrRegions);
        Assert.True(ops.TargetValid(t));
        // Every anonymous mapping we make lies inside one of them.
        using var m = new AnonymousMapping(16 * 4096);
        ops.Update(ctx);
        bool inside = false;
        for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            inside |= r.Start <= m.Address && m.End <= r.End;
        Assert.True(inside);
    }

    [Fact]
    public void A_target_that_exits_gets_nothing_applied_and_becomes_invalid_alone()
    {
        using var actions = new LinuxDamosActions(LinuxCapabilities.Probe());
        var ops = new LinuxVaddrOperations(actions);
        var ctx = new DamonContext(seed: 1) { Ops = ops };
        var gone = new Target(ExitedChild.Pid());
        var self = new Target(Environment.ProcessId);
        var cold = new Damos(DamosAccessPattern.Any, DamosAction.Cold);
        Assert.Equal(0UL, ops.ApplyScheme(ctx, gone, new Region(0x10000, 0x20000), cold, out _));
        Assert.Equal([gone.Pid], ops.GoneTargets);
        Assert.False(ops.TargetValid(gone));
        using var m = new AnonymousMapping(4 * 4096);
        m.Touch();
        Assert.Equal(4UL * 4096, ops.ApplyScheme(ctx, self, new Region(m.Address, m.End), cold, out _));
        Assert.True(ops.TargetValid(self));
    }
}
