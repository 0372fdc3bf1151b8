using Damon.Guest.Linux;
using Damon.Host;
using Damon.Host.Contract;
using Damon.Linux.Backend;

namespace Damon.Guest.Cases;

/// <summary>
/// The host contract's cases (tests/Contract, the same code the simulator's xunit run uses) on the
/// Linux backend, in kernel mode and in user mode, against the guest kernel's DAMON.
/// </summary>
public static class LinuxContractCases
{
    public static IEnumerable<GuestCase> All() =>
        from mode in new[] { LinuxBackendMode.Kernel, LinuxBackendMode.User }
        from c in ContractCases.All
        select new GuestCase($"contract/linux-{(mode == LinuxBackendMode.Kernel ? "kernel" : "user")}/{c.Name}", ctx => Run(ctx, mode, c.Case));

    /// <summary>Cases that need one snapshot per aggregation interval, within the fixture's slack.</summary>
    private static readonly HashSet<Action<IContractFixture>> IntervalExact =
    [
        ContractCases.AggregationsArriveAtTheConfiguredIntervals,
        ContractCases.CommitChangesTheIntervalsOfLaterSnapshots,
    ];

    /// <summary>
    /// Measures this guest's snapshot round (update_schemes_tried_regions, the read, the event) on
    /// the same workload for 1 s of 100 ms aggregations. Under TCG on a loaded host a round can take
    /// longer than an aggregation interval, and then no backend can deliver one snapshot per
    /// interval; the reason names the measured round.
    /// </summary>
    private static string? SlowRounds(LinuxContractFixture fixture)
    {
        const ulong AggrUs = 100_000;
        using var t = fixture.Start(new HotColdWorkload(64UL << 20, 8UL << 20));
        var b = t.Backend;
        b.Start(ContractSpecs.Vaddr(t.Pid, 5_000, AggrUs));
        var times = new List<ulong>();
        b.Aggregated += s => times.Add(s.TimeUs);
        b.Run(RunLimit.ForUs(1_000_000), CancellationToken.None);
        b.Stop();
        // The interval cases count at least 8 snapshots per second of 100 ms aggregations.
        if (times.Count >= 2 && (times[^1] - times[0]) / (ulong)(times.Count - 1) <= AggrUs * 5 / 4)
            return null;
        ulong roundMs = times.Count >= 2 ? (times[^1] - times[0]) / (ulong)(times.Count - 1) / 1000 : 1000;
        return $"measured {times.Count} snapshots in 1 s, {roundMs} ms per snapshot round, more than 125 ms (the case counts at least 8 snapshots per second of 100 ms aggregations)"
            + " in this TCG guest on a loaded host";
    }

    private static CaseResult Run(GuestContext ctx, LinuxBackendMode mode, Action<IContractFixture> contractCase)
    {
        if (!ctx.IsGuest)
            return CaseResult.Skip("not the test-bed guest: the Linux backend writes DAMON sysfs only there");
        try
        {
            var fixture = new LinuxContractFixture(mode);
            if (IntervalExact.Contains(contractCase) && SlowRounds(fixture) is { } why)
                return CaseResult.Skip(why);
            contractCase(fixture);
            return CaseResult.Pass();
        }
        catch (ContractFailure e)
        {
            return CaseResult.Fail(e.Message);
        }
    }
}
