using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;

namespace Damon.Core.Tests.Schemes;

/// <summary>
/// <see cref="TestOperations"/> whose DAMOS actions take simulated time: applying moves the
/// context's virtual clock forward at <see cref="BytesPerMs"/>, so the time quota's throughput
/// estimate (total_charged_sz / total_charged_ns) sees a known speed.
/// </summary>
internal sealed class TimedOperations(TestOperations inner, ulong bytesPerMs) : DamonOperations
{
    public TestOperations Inner { get; } = inner;
    public ulong BytesPerMs { get; } = bytesPerMs;

    public override OperationsId Id => Inner.Id;
    public override OpsCallbacks Callbacks => Inner.Callbacks;

    public override void PrepareAccessChecks(DamonContext ctx) => Inner.PrepareAccessChecks(ctx);

    public override uint CheckAccesses(DamonContext ctx) => Inner.CheckAccesses(ctx);

    public override int GetSchemeScore(DamonContext ctx, Target t, Region r, Damos s) => Inner.GetSchemeScore(ctx, t, r, s);

    public override ulong ApplyScheme(DamonContext ctx, Target t, Region r, Damos s, out ulong szOpsFilterPassed)
    {
        ulong applied = Inner.ApplyScheme(ctx, t, r, s, out szOpsFilterPassed);
        ((ManualClock)ctx.Clock).NowNs += r.Size * 1_000_000 / BytesPerMs;
        return applied;
    }
}
