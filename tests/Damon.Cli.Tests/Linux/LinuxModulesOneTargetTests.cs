using Damon.Cli.Linux;
using Damon.Core.Monitoring;
using Damon.Core.Schemes;
using Xunit;

namespace Damon.Cli.Tests.Linux;

/// <summary>
/// LinuxModules.OneTarget folds the shared context's pieces into the one paddr target the kernel takes; a
/// module confined to some pieces by `target` filters must stay confined, now by `addr` filters on those pieces.
/// </summary>
public class LinuxModulesOneTargetTests
{
    [Fact]
    public void Per_piece_target_filters_become_addr_filters_on_the_same_pieces()
    {
        var ctx = new DamonContext(1);
        foreach (var (start, end) in new[] { (0x1000UL, 0x100000UL), (0x100000UL, 0x3ffdf000UL) })
        {
            var t = new Target();
            ctx.AddTarget(t);
            DamonCore.SetRegions(t, [new AddrRange(start, end)], ctx.MinRegionSz);
        }
        // TIER's range is the second piece only; RECLAIM's is the whole union (no filter).
        var tier = new Damos(DamosAccessPattern.Any, DamosAction.MigrateCold);
        tier.AddFilter(new DamosFilter(DamosFilterType.Target, matching: true, allow: true) { TargetIdx = 1 });
        var reclaim = new Damos(DamosAccessPattern.Any, DamosAction.Pageout);
        ctx.Schemes.Add(tier);
        ctx.Schemes.Add(reclaim);

        LinuxModules.OneTarget(ctx);

        var only = Assert.Single(ctx.Targets);
        Assert.Equal([(0x1000UL, 0x100000UL), (0x100000UL, 0x3ffdf000UL)], only.Regions.Select(r => (r.Start, r.End)));
        var f = Assert.Single(tier.CoreFilters);
        Assert.Equal((DamosFilterType.Addr, true, true, 0x100000UL, 0x3ffdf000UL),
            (f.Type, f.Matching, f.Allow, f.AddrRange.Start, f.AddrRange.End));
        Assert.Empty(reclaim.CoreFilters);
    }
}
