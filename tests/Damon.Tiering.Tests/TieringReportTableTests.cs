using Damon.Tiering.Harness;
using Xunit;

namespace Damon.Tiering.Tests;

public class TieringReportTableTests
{
    private static PolicyResult Row(string scenario, string policy, double runtime, ulong promotedBytes, double? convergeMs) => new()
    {
        Scenario = scenario,
        Policy = policy,
        NormalizedRuntime = runtime,
        SlowTierAccessRatio = 0.125,
        BytesPromoted = promotedBytes,
        PingPongPages = 7,
        ConvergeMs = convergeMs,
        MonitorCpuMsPerSimSec = 1.5,
        BackgroundMsPerSimSec = 12.25,
        HitRatio = [],
    };

    [Fact]
    public void Columns_fit_their_widest_cell_names_left_numbers_right_and_a_blank_line_between_scenarios()
    {
        var report = new TieringReport(1, [], new Dictionary<string, double>(),
        [
            Row("a", "first-touch", 1.0, 0, null),
            Row("a", "damon-tier", 1.0234, 3 * 1024 * 1024 / 2, 1250),
            Row("bb", "numab2", 12.5, 1024UL * 1024 * 1024, 100),
        ]);

        Assert.Equal("""
            scenario  policy       norm.runtime  slow-acc%    promoted  demoted  ping-pong  converge  mon.cpu ms/s  bg ms/s
            --------  -----------  ------------  ---------  ----------  -------  ---------  --------  ------------  -------
            a         first-touch         1.000       12.5     0.0 MiB  0.0 MiB          7         -          1.50     12.3
            a         damon-tier          1.023       12.5     1.5 MiB  0.0 MiB          7    1.25 s          1.50     12.3

            bb        numab2             12.500       12.5  1024.0 MiB  0.0 MiB          7    0.10 s          1.50     12.3

            """.Replace("\r\n", "\n"), report.ToTable());
    }
}
