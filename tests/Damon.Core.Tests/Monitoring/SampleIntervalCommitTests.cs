using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Core.Tests.Schemes;
using Xunit;

namespace Damon.Core.Tests.Monitoring;

/// <summary>
/// kdamond_fn reads <c>sample_interval</c> again after kdamond_call and kdamond_apply_schemes
/// (mm/damon/core.c: "sample_interval = ctx->attrs.sample_interval ? ctx->attrs.sample_interval : 1"
/// before the next_aggregation_sis / next_ops_update_sis updates), so a commit that changes it is
/// counted in the new interval from the very iteration it is made in.
/// </summary>
public class SampleIntervalCommitTests
{
    /// <summary>An operations set whose update callback only records when it ran.</summary>
    private sealed class UpdateLog : DamonOperations
    {
        public List<ulong> AtUs { get; } = [];
        public Func<ulong> Now { get; set; } = () => 0;
        public override OperationsId Id => OperationsId.Vaddr;
        public override OpsCallbacks Callbacks => OpsCallbacks.Update;
        public override void Update(DamonContext ctx) => AtUs.Add(Now());
    }

    [Fact]
    public void A_commit_at_an_aggregation_moves_the_next_aggregation_and_ops_update_by_the_new_sample_interval()
    {
        var ops = new UpdateLog();
        var bed = new SchemeBed([SchemeBed.EvenRanges(0, 4, SchemeBed.MiB)], ops);
        ops.Now = () => bed.Driver.NowUs;
        // 5 ms samples, aggregation and ops update every 100 ms: both due at passed 20 (100 ms).
        DamonCore.SetAttrs(bed.Ctx, bed.Ctx.Attrs with { OpsUpdateIntervalUs = 100_000 });
        var aggregatedUs = new List<ulong>();
        bed.Ctx.Aggregated = _ => aggregatedUs.Add(bed.Driver.NowUs);
        bed.Start();
        // The kdamond sleeps in the sample of passed 20; the call runs in that iteration.
        bed.RunUntilMs(99);
        var staged = new DamonContext { Ops = ops, MinRegionSz = bed.Ctx.MinRegionSz };
        staged.AddTarget(new Target());
        DamonCore.SetAttrs(staged, bed.Ctx.Attrs with { SampleIntervalUs = 10_000, AggrSamples = 0 });
        var commit = bed.Kdamond.Call(ctx => DamonCore.CommitCtx(ctx, staged));
        bed.RunUntilMs(300);

        Assert.True(commit.Task.IsCompletedSuccessfully);
        Assert.Equal(10_000UL, bed.Ctx.Attrs.SampleIntervalUs);
        // At passed 20 (100 ms): next_aggregation_sis = 20 + 100 ms / 10 ms = 30, reached at
        // 100 + 10 x 10 ms = 200 ms; then 40 at 300 ms. With the 5 ms read at the iteration's
        // start it would be 20 + 20 = 40, at 300 ms, one aggregation lost. Ops updates alike.
        Assert.Equal([100_000UL, 200_000, 300_000], aggregatedUs);
        Assert.Equal([100_000UL, 200_000, 300_000], ops.AtUs);
    }
}
