using Damon.Core.Schemes;
using Damon.Modules.Tier;
using Xunit;
using static Damon.Modules.Tests.ModuleBed;

namespace Damon.Modules.Tests.Tier;

/// <summary>DAMON_TIER's schemes acting on the in-memory paddr operations set.</summary>
public class TierBehaviourTests
{
    [Fact]
    public void Only_young_hot_pages_are_promoted_while_the_fast_node_is_below_its_goal_and_nothing_is_demoted_while_it_has_free_memory()
    {
        var bed = new ModuleBed { Metrics = { FreeMemRate = 100 } };
        // Fast node 6.25% used: promotion goal (99.6% used) missed, so its quota nearly doubles each
        // second from the feedback loop's 1-byte start; demotion goal (0.4% free) exceeded.
        bed.Metrics.Nodes[0] = (64 * MiB, 60 * MiB);
        bed.Metrics.Nodes[1] = (64 * MiB, 64 * MiB);
        // [0, 4 MiB) is accessed; of it only [2, 4 MiB) is still young when the action checks, so the
        // regions tried first, in address order, are the ones the young filter must hold back.
        bed.Ops.IsAccessed = (_, addr) => addr < 4 * MiB;
        bed.Ops.PageIsOfType = (_, addr, f) => f.Type == DamosFilterType.Young && addr >= 2 * MiB && addr < 4 * MiB;
        var module = new TierModule(TierParams.Default, Flat(16 * MiB), bed.Metrics, seed: 9);
        bed.Driver.Add(module.Start(bed.Engine));
        bed.RunUntilMs(30_010);

        var promoted = bed.Ops.Applied.Where(a => a.Action == DamosAction.MigrateHot && a.SzApplied > 0).ToList();
        Assert.NotEmpty(promoted);
        // Regions may straddle 2 MiB; only their young part may move.
        Assert.All(promoted, a =>
        {
            ulong youngBytes = Math.Min(a.End, 4 * MiB) - Math.Min(Math.Max(a.Start, 2 * MiB), Math.Min(a.End, 4 * MiB));
            Assert.True(a.SzApplied <= youngBytes, $"promoted {a.SzApplied} bytes of [{a.Start}, {a.End}), {youngBytes} of them young");
        });
        Assert.True(module.PromoteStats.BytesApplied > 0);
        Assert.Equal(bed.Ops.SzApplied(DamosAction.MigrateHot), module.PromoteStats.BytesApplied);
        Assert.Equal(0UL, module.DemoteStats.BytesApplied);
        Assert.DoesNotContain(bed.Ops.Applied, a => a.Action == DamosAction.MigrateCold);
        bed.Driver.StopAll();
    }
}
