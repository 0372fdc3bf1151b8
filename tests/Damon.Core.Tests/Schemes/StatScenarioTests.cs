using Damon.Core.Schemes;
using Xunit;
using static Damon.Core.Tests.Schemes.SchemeBed;

namespace Damon.Core.Tests.Schemes;

/// <summary>DAMOS stats (spec §3.9) and max_nr_snapshots deactivation (§3.2 step d, f).</summary>
public class StatScenarioTests
{
    [Fact]
    public void Stats_count_tries_applies_and_snapshots_and_max_nr_snapshots_stops_the_scheme()
    {
        // Four 10 MiB regions, none accessed; rounds every 100 ms. A stat scheme limited to three
        // snapshots, then a pageout scheme without limit.
        var bed = new SchemeBed(4, 10 * MiB);
        var stat = bed.AddScheme(new Damos(DamosAccessPattern.Any, DamosAction.Stat) { MaxNrSnapshots = 3 });
        var pageout = bed.AddScheme(new Damos(new DamosAccessPattern(0, ulong.MaxValue, 0, 0, 0, uint.MaxValue),
            DamosAction.Pageout));
        bed.Start();

        bed.RunUntilMs(300);
        // Each round tries every region and takes one snapshot on reaching the target's last.
        Assert.Equal(12UL, stat.Stat.NrTried);
        Assert.Equal(3UL, stat.Stat.NrSnapshots);

        bed.RunUntilMs(1000);
        // From the fourth round on, nr_snapshots (3) >= max_nr_snapshots: the stat scheme is
        // skipped, while monitoring and the other scheme go on.
        Assert.Equal(12UL, stat.Stat.NrTried);
        Assert.Equal(120 * MiB, stat.Stat.SzTried);
        Assert.Equal(0UL, stat.Stat.NrApplied);
        Assert.Equal(0UL, stat.Stat.SzApplied);
        Assert.Equal(0UL, stat.Stat.SzOpsFilterPassed);
        Assert.Equal(0UL, stat.Stat.QtExceeds);
        Assert.Equal(3UL, stat.Stat.NrSnapshots);

        Assert.Equal(40UL, pageout.Stat.NrTried);
        Assert.Equal(400 * MiB, pageout.Stat.SzTried);
        Assert.Equal(40UL, pageout.Stat.NrApplied);
        Assert.Equal(400 * MiB, pageout.Stat.SzApplied);
        Assert.Equal(10UL, pageout.Stat.NrSnapshots);
        Assert.Equal(200UL, bed.Ctx.PassedSampleIntervals);
        Assert.Equal(12, bed.TestOps.Applied.Count(a => a.Action == DamosAction.Stat));
    }
}
