using System.Text;
using Damon.Records.IO;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary>
/// Degenerate intervals finish (simulated time advances at least 1 us per kdamond iteration), and
/// every long-running verb honours cancellation wherever the engine is: exit 130, with what it has.
/// Cancels come from the run's own output or before it starts, never from a wall-clock delay.
/// </summary>
public class InterruptTests
{
    /// <summary>Captures stdout and cancels the run once <paramref name="marker"/> started its <paramref name="nth"/> line.</summary>
    private sealed class CancelOnLine(CancellationTokenSource cts, string marker, int nth) : StringWriter
    {
        private int _seen;
        private bool _lineStart = true;

        public override void Write(char value)
        {
            base.Write(value);
            if (_lineStart && value == marker[0])
            {
                // Cheap line-start check, then the full marker once the line is long enough.
                _pending = new StringBuilder().Append(value);
            }
            else if (_pending is not null)
            {
                _pending.Append(value);
            }
            if (_pending is not null && _pending.Length == marker.Length)
            {
                if (_pending.ToString() == marker && ++_seen == nth)
                    cts.Cancel();
                _pending = null;
            }
            _lineStart = value == '\n';
        }

        public override void Write(string? value)
        {
            if (value is null) return;
            foreach (char c in value) Write(c);
        }

        private StringBuilder? _pending;
    }

    private static readonly string[] ZeroIntervals = ["--monitoring_intervals", "0", "0", "0"];

    [Fact]
    public async Task ZeroIntervalsRunToTheEndOneMicrosecondPerIteration()
    {
        var r = await DamonCli.Run(["sim", "--workload", "gups:size=64M", "--duration", "0.003", .. ZeroIntervals,
            "--snapshot_every", "0.001", "--json"]);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Err);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
        Assert.Equal(3000, doc.RootElement.GetProperty("end_us").GetInt64());
        var times = doc.RootElement.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("time_us").GetInt64());
        Assert.Equal(new long[] { 1000, 2000, 3000 }, times);
    }

    [Fact]
    public async Task ZeroIntervalsRecordOneSnapshotPerMicrosecond()
    {
        using var dir = new TempDir();
        string path = dir.File("damon.data");
        // perf_script: the JSON reader refuses the zero intervals a JSON record carries.
        var r = await DamonCli.Run(["record", "--workload", "gups:size=64M", "--duration", "0.002", .. ZeroIntervals, "--out", path,
            "--format", "perf_script"]);

        // One aggregation per microsecond, and one more when the stop wakes the kdamond: like
        // kthread_stop, it ends the iteration it was sleeping in, and every iteration aggregates.
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"2001 snapshots of 1 context(s) over 0.00 s of simulated time saved to {path} (perf_script)\n", r.Out);
        var record = Assert.Single(RecordFiles.Read(path));
        Assert.Equal(2001, record.Snapshots.Count);
        Assert.Equal(1_000L, record.Snapshots[0].EndTimeNs);
        Assert.Equal(2_000_000L, record.Snapshots[1999].EndTimeNs);
        Assert.Equal(2_000_000L, record.Snapshots[^1].EndTimeNs);
    }

    [Fact]
    public async Task SnapshotPeriodFarBelowTheSamplingIntervalPrintsEveryAggregation()
    {
        // A 1 us period against 100 ms aggregations: every aggregation is printed, once, and the
        // next due time is computed, not stepped to (10^5 steps per aggregation).
        var r = await DamonCli.Run("sim", "--workload", "gups:size=64M", "--duration", "0.3", "--snapshot_every", "1us", "--json");

        Assert.Equal(0, r.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
        var times = doc.RootElement.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("time_us").GetInt64());
        Assert.Equal(new long[] { 100_000, 200_000, 300_000 }, times);
    }

    [Fact]
    public async Task SimCancelledInsideASliceStopsAtOnceAndPrintsWhatItHas()
    {
        using var cts = new CancellationTokenSource();
        // Cancelled while the second snapshot (t=20 ms) is printed, inside the first 50 ms slice.
        var stdout = new CancelOnLine(cts, "t=", 2);
        var r = await DamonCli.Run(stdout, cts.Token, ["sim", "--workload", "gups:size=64M", "--duration", "100000", .. ZeroIntervals,
            "--snapshot_every", "0.01"]);

        Assert.Equal(130, r.ExitCode);
        Assert.Equal("damon: interrupted at t=0.02 s of simulated time\n", r.Err);
        // The two periodic snapshots, then DAMON's last view at the interrupt.
        Assert.Equal(3, r.Out.Split('\n').Count(l => l.StartsWith("t=", StringComparison.Ordinal)));
        Assert.Contains("\nInterrupted at t=0.02 s; what follows is up to then.\n", r.Out);
        Assert.Contains("Per-node usage after 0.02 s of simulated time", r.Out);
    }

    [Fact]
    public async Task RecordCancelledBeforeTheFirstSampleSavesWhatTheStopProduced()
    {
        using var dir = new TempDir();
        string path = dir.File("damon.data");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var r = await DamonCli.Run(cts.Token, "record", "--workload", "gups:size=64M", "--duration", "100000",
            "--monitoring_intervals", "1", "1", "1", "--out", path);

        Assert.Equal(130, r.ExitCode);
        // The stop wakes the kdamond from its first sleep; with one sample per aggregation that
        // iteration aggregates once, at t=0.
        Assert.Equal($"damon: interrupted; 1 snapshots of 1 context(s) over 0.00 s of simulated time saved to {path} (json_compressed)\n", r.Out);
        var record = Assert.Single(RecordFiles.Read(path));
        Assert.Equal(0L, Assert.Single(record.Snapshots).EndTimeNs);
        Assert.Equal(new[] { path }, Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task NumastatCancelledShowsTheUsageAtTheInterrupt()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var r = await DamonCli.Run(cts.Token, "numastat", "--workload", "gups:size=64M", "--duration", "100000");

        Assert.Equal(130, r.ExitCode);
        Assert.Equal("damon: interrupted at t=0.00 s of simulated time\n", r.Err);
        Assert.StartsWith("Per-node system memory usage (in MBs):\n", r.Out);
    }

    [Theory]
    [InlineData("bench", "tiering", "--scenario", "pressure-75", "--policy", "damon-tier", "--quiet")]
    [InlineData("bench", "accuracy", "--sizes", "1G", "--attrs", "default", "--quiet")]
    [InlineData("bench", "reports", "--quiet")]
    public async Task BenchCancelledWritesNoResults(params string[] args)
    {
        using var dir = new TempDir();
        string json = dir.File("results.json");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var r = await DamonCli.Run(cts.Token, [.. args, "--json", json]);

        Assert.Equal(130, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Equal("damon: interrupted\n", r.Err);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task DemoCancelledWritesNoResults()
    {
        using var dir = new TempDir();
        string outDir = Path.Combine(dir.Path, "demo");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var r = await DamonCli.Run(cts.Token, "demo", "--out", outDir, "--quiet");

        Assert.Equal(130, r.ExitCode);
        Assert.Equal("damon: interrupted\n", r.Err);
        Assert.Empty(Directory.GetFiles(outDir));
    }
}
