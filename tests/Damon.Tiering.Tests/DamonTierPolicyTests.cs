using Damon.Core.Schemes;
using Damon.Sim.Running;
using Damon.Tiering.DamonTier;
using Damon.Tiering.Policy;
using Xunit;

namespace Damon.Tiering.Tests;

public class DamonTierPolicyTests
{
    [Fact]
    public void The_tier_modules_schemes_run_in_one_context_per_node_as_mtier_lays_them_out()
    {
        var policy = new DamonTierPolicy();
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), new TinyMachine.MapOnly(1, 0), seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));

        Assert.Equal(2, sim.Contexts.Count);
        var (promoteCtx, demoteCtx) = (sim.Contexts[0], sim.Contexts[1]);
        Assert.Same(policy.Promote, Assert.Single(promoteCtx.Schemes));
        Assert.Same(policy.Demote, Assert.Single(demoteCtx.Schemes));
        Assert.Equal((DamosAction.MigrateHot, 0), (policy.Promote!.Action, policy.Promote.TargetNid));
        Assert.Equal((DamosAction.MigrateCold, 1), (policy.Demote!.Action, policy.Demote.TargetNid));
        Assert.Equal(100UL << 20, policy.Promote.Quota.Sz);          // the module's quota_sz / 2

        foreach (var (ctx, nid) in new[] { (promoteCtx, 1), (demoteCtx, 0) })
        {
            var r = ctx.Targets[0].FirstRegion!;
            var (start, end) = sim.Machine.NodePhysRange(nid);
            Assert.Equal((start / ctx.AddrUnit, end / ctx.AddrUnit), (r.Start, r.End));
            Assert.Equal(5_000UL, ctx.Attrs.SampleIntervalUs);
            Assert.Equal(100_000UL, ctx.Attrs.AggrIntervalUs);
        }
        // Watermarks opened up: never above high (1000 ‰), never below low (0).
        Assert.Equal((1000UL, 0UL), (policy.Promote.Wmarks.High, policy.Promote.Wmarks.Low));
    }
}
