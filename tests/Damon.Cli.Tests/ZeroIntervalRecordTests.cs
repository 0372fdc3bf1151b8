using Xunit;

namespace Damon.Cli.Tests;

/// <summary>
/// damon_set_attrs accepts zero intervals and Damon runs them (1 µs per kdamond iteration), so the
/// record it writes must read back: every report treats a zero interval as 1 µs, the
/// damon_nr_samples_per_aggr rule.
/// </summary>
public class ZeroIntervalRecordTests
{
    private static async Task<string> RecordZero(TempDir dir, string format)
    {
        var path = dir.File("z." + format);
        var r = await DamonCli.Run("record", "--duration", "0.000005", "--monitoring_intervals", "0", "0", "0",
            "--output_type", format, "--out", path);
        Assert.Equal("", r.Err);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"6 snapshots of 1 context(s) over 0.00 s of simulated time saved to {path} ({format})\n", r.Out);
        return path;
    }

    private static async Task<string> Report(params string[] args)
    {
        var r = await DamonCli.Run(["report", .. args]);
        Assert.Equal("", r.Err);
        Assert.Equal(0, r.ExitCode);
        return r.Out;
    }

    [Theory]
    [InlineData("json")]
    [InlineData("json_compressed")]
    [InlineData("perf_script")]
    public async Task Every_report_reads_a_zero_interval_record(string format)
    {
        using var dir = new TempDir();
        var path = await RecordZero(dir, format);
        bool trace = format == "perf_script";

        // perf_script keeps no intervals; the styled access report needs them (damo refuses too).
        if (!trace)
        {
            var access = await Report("access", "--input", path);
            Assert.StartsWith("snapshot time: [0 ns, 0 ns] (0 ns)\n", access);
            Assert.Contains("intervals: sample 1 us aggr 1 us (max access hz 1,000,000)\n", access);
            Assert.Contains("0   addr 85.333 TiB   size 16.000 KiB  access 0 hz   age 1 us         \n", access);
            Assert.Contains("memory bw estimate: 0 B per second\n", access);
            Assert.Contains("\"sample_us\": \"0 ns\",\n", await Report("access", "--input", path, "--json"));
        }
        var rawForm = await Report("access", "--input", path, "--raw_form");
        Assert.Contains("555555554000-555555558000 (  16.000 KiB)           0     1\n", rawForm);
        Assert.Equal(6, rawForm.Split("nr_regions: 12\n").Length - 1);

        Assert.Equal("# target_id\t0\n# <percentile> <wss>\n# avr:\t0\n"
            + string.Concat(new[] { "  0", " 25", " 50", " 75", "100" }.Select(p => $"{p}               0 |{new string(' ', 59)}|\n")),
            await Report("wss", "--input", path, "--exclude_samples", "0", "--raw_number"));
        Assert.Equal("# <percentile> <# regions>\n# target_id\t0\n# no snapshot after the first 20\n",
            await Report("nr_regions", "--input", path));
        Assert.Equal(trace
                ? "0.0\t0\t0.0\n0.0\t8192\t0.0\n2400.0\t0\t0.0\n2400.0\t8192\t0.0\n"
                : "0\t0\t0.0\n0\t8192\t0.0\n2500\t0\t0.0\n2500\t8192\t0.0\n",
            await Report("heatmap", "--input", path, "--output", "raw", "--resol", "2", "2"));
        Assert.Equal((trace ? "" : "kdamond_idx: 0\ncontext_idx: 0\n") + "target_id: 0\n"
            + (trace ? "time: [200 ns, 5 us) (4.800 us)\n" : "time: [0 ns, 5 us) (5 us)\n")
            + "region\t 0: [85.333333 TiB, 85.333333 TiB) (16.000 KiB)\n"
            + "region\t 1: [127.998898 TiB, 127.999878 TiB) (1.004 GiB)\n"
            + "region\t 2: [128.000000 TiB, 128.000000 TiB) (132.000 KiB)\n",
            await Report("record_info", "--input", path));
        Assert.Equal((trace ? "0.000000" : "0.000001") + "-0.000005\n# (seconds)\n",
            await Report("times", "--inputs", path));
    }
}
