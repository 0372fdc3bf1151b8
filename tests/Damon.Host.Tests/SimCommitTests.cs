using Damon.Config.Schema;
using Damon.Host.Contract;
using Damon.Host.Snapshots;

namespace Damon.Host.Tests;

/// <summary>
/// Commit on a running simulator backend follows damon_commit_ctx (damon-spec.md §2.12): lists by
/// index, a running scheme keeps its stats while taking the new quota, surplus source schemes and
/// targets are appended as new ones, and a source target without regions leaves the running
/// target's regions alone — a new vaddr target has none until the next ops update sets them.
/// </summary>
public sealed class SimCommitTests
{
    private const ulong MiB = 1UL << 20;

    [Fact]
    public void ACommitKeepsTheRunningSchemesStatsTakesTheNewQuotaAndAppendsTargetsAndSchemes()
    {
        using var t = new SimContractFixture().Start(new HotColdWorkload(64 * MiB, 8 * MiB));
        var b = t.Backend;
        b.Start(ContractSpecs.Vaddr(t.Pid, 5_000, 100_000, ContractSpecs.StatEverything()));
        b.Run(RunLimit.ForUs(1_000_000), CancellationToken.None);
        var before = b.Status(triedRegions: false, CancellationToken.None).Kdamonds[0].Contexts[0];
        ulong nrTried = before.Schemes[0].Stats!.NrTried;
        Assert.True(nrTried > 0);
        Assert.Equal(0UL, before.Schemes[0].Quotas.SzBytes);

        var changed = ContractSpecs.Vaddr([t.Pid, t.Pid], 5_000, 100_000,
            ContractSpecs.StatEverything(quotaSzBytes: 1 * MiB), ContractSpecs.StatEverything());
        var snaps = new List<AggregationSnapshot>();
        b.Aggregated += snaps.Add;
        var commit = b.Commit(changed);
        Assert.False(commit.IsCompleted);    // made by the kdamond at its next iteration, in the run
        b.Run(RunLimit.ForUs(100_000), CancellationToken.None);
        Assert.True(commit.IsCompletedSuccessfully);

        var after = b.Status(triedRegions: false, CancellationToken.None).Kdamonds[0].Contexts[0];
        Assert.Equal(2, after.Schemes.Count);
        Assert.Equal(1 * MiB, after.Schemes[0].Quotas.SzBytes);
        Assert.Equal(1000UL, after.Schemes[0].Quotas.ResetIntervalMs);
        // Kept: the running scheme's count goes on from where it was; the appended one starts at zero.
        Assert.True(after.Schemes[0].Stats!.NrTried >= nrTried, $"{after.Schemes[0].Stats!.NrTried} < {nrTried}");
        Assert.True(after.Schemes[1].Stats!.NrTried < nrTried);
        Assert.Equal([t.Pid, t.Pid], after.Targets.Select(x => x.Pid ?? -1));

        // Target 0 kept its regions; target 1 has none until the next ops update (1 s after start).
        var first = snaps.First(s => s.Targets.Count == 2);
        Assert.NotEmpty(first.Targets[0].Regions);
        Assert.Empty(first.Targets[1].Regions);
        b.Run(RunLimit.ForUs(1_200_000), CancellationToken.None);
        var late = snaps[^1];
        Assert.NotEmpty(late.Targets[1].Regions);
        Assert.Contains(late.Targets[1].Regions, r => r.Start <= t.MappingStart && r.End > t.MappingStart);
    }

    [Fact]
    public void ACommitTheMappingRefusesLeavesTheRunningContextAsItWas()
    {
        using var t = new SimContractFixture().Start(new HotColdWorkload(64 * MiB, 8 * MiB));
        var b = t.Backend;
        b.Start(ContractSpecs.Vaddr(t.Pid, 5_000, 100_000, ContractSpecs.StatEverything()));
        b.Run(RunLimit.ForUs(300_000), CancellationToken.None);
        var bad = ContractSpecs.Vaddr(t.Pid, 5_000, 100_000);
        bad.Kdamonds[0].Contexts[0].NrRegions = new NrRegionsSpec { Min = 2, Max = 1000 };   // damon_set_attrs: min_nr_regions < 3
        Assert.Throws<Damon.Config.ConfigException>(() => { _ = b.Commit(bad); });
        b.Run(RunLimit.ForUs(300_000), CancellationToken.None);
        var now = b.Status(triedRegions: false, CancellationToken.None).Kdamonds[0];
        Assert.Equal("on", now.State);
        Assert.Single(now.Contexts[0].Schemes);
        Assert.Equal(10UL, now.Contexts[0].NrRegions.Min);
    }
}
