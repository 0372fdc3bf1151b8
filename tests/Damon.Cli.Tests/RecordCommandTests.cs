using Damon.Records.IO;
using Xunit;

namespace Damon.Cli.Tests;

public class RecordCommandTests
{
    [Theory]
    [InlineData("json_compressed")]
    [InlineData("json")]
    [InlineData("perf_script")]
    public async Task RecordsEveryAggregationAndReportsReadIt(string format)
    {
        using var dir = new TempDir();
        var path = dir.File("damon.data");
        var r = await DamonCli.Run("record", "--workload", "gups:size=64M", "--duration", "1.5", "--out", path, "--format", format);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"15 snapshots of 1 context(s)", r.Out);
        Assert.Contains($"saved to {path} ({format})", r.Out);

        var records = RecordFiles.Read(path);
        var record = Assert.Single(records);
        Assert.Equal(0UL, record.TargetId);
        Assert.Equal(15, record.Snapshots.Count);
        if (format != "perf_script")
        {
            Assert.Equal(5_000, record.Intervals!.SampleUs);
            Assert.Equal(100_000, record.Intervals.AggrUs);
            Assert.Equal(1_000_000, record.Intervals.OpsUpdateUs);
            Assert.Equal(0, record.Snapshots[0].StartTimeNs);
        }
        for (int i = 0; i < record.Snapshots.Count; i++)
        {
            var s = record.Snapshots[i];
            Assert.Equal((i + 1) * 100_000_000L, s.EndTimeNs);
            if (i > 0) Assert.Equal(record.Snapshots[i - 1].EndTimeNs, s.StartTimeNs);
            Assert.NotEmpty(s.Regions);
            for (int j = 1; j < s.Regions.Count; j++)
                Assert.True(s.Regions[j - 1].End <= s.Regions[j].Start);
            Assert.All(s.Regions, reg => Assert.InRange(reg.NrAccessesSamples!.Value, 0, 20));
        }
        Assert.Contains(record.Snapshots[^1].Regions, reg => reg.NrAccessesSamples > 0);

        if (format != "perf_script")
        {
            // perf_script carries no intervals, which report access needs (damo refuses it too).
            var access = await DamonCli.Run("report", "access", "--input", path);
            Assert.Equal(0, access.ExitCode);
            Assert.Contains("intervals: sample 5 ms aggr 100 ms", access.Out);
            Assert.Contains("snapshot time: [1.400 s, 1.500 s] (100 ms)", access.Out);
        }
        var wss = await DamonCli.Run("report", "wss", "--input", path, "--exclude_samples", "0", "--raw_number");
        Assert.Equal(0, wss.ExitCode);
        Assert.Contains("# <percentile> <wss>", wss.Out);
        var heatmap = await DamonCli.Run("report", "heatmap", "--input", path, "--output", "raw");
        Assert.Equal(0, heatmap.ExitCode);
        Assert.NotEmpty(heatmap.Out);
    }

    [Fact]
    public async Task CancellingMidRunLeavesACompleteFileAndNoTempFile()
    {
        using var dir = new TempDir();
        var path = dir.File("damon.data");
        using var cts = new CancellationTokenSource();
        // duration=0: the workload runs until stopped.
        var run = DamonCli.Run(cts.Token, "record", "--workload", "gups:size=64M,duration=0s", "--duration", "100000", "--out", path,
            "--flush_interval", "0.05");
        // The periodic flush must leave a readable file while the run goes on. Awaiting the rename
        // that publishes it (rather than polling the disk against a deadline) is an event, so the
        // test does not depend on how fast this machine happens to be.
        await FirstFlush(path, run).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(RecordFiles.Exists(path), "the run ended before its first flush");
        var midRun = RecordFiles.Read(path);
        Assert.NotEmpty(midRun);
        cts.Cancel();

        var r = await run;
        Assert.Equal(130, r.ExitCode);
        Assert.Contains("damon: interrupted;", r.Out);
        var final = Assert.Single(RecordFiles.Read(path));
        Assert.True(final.Snapshots.Count >= midRun[0].Snapshots.Count);
        Assert.Equal(new[] { path }, Directory.GetFiles(dir.Path));
    }

    /// <summary>
    /// Completes when the record reads with a snapshot (the first flush committed to its journal,
    /// FILE.journal, which is read as FILE until the end) or the run ends. Each change of the
    /// journal is an event, so this does not poll against a deadline.
    /// </summary>
    private static async Task FirstFlush(string path, Task run)
    {
        var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(RecordJournal.PathFor(path)));
        watcher.Created += (_, _) => changed.Release();
        watcher.Changed += (_, _) => changed.Release();
        watcher.EnableRaisingEvents = true;
        while (!run.IsCompleted)
        {
            // A flush before the watcher started raises no event; the journal then already has it.
            if (RecordFiles.Exists(path) && RecordFiles.Read(path) is [{ Snapshots.Count: > 0 }, ..]) return;
            await Task.WhenAny(changed.WaitAsync(), run);
        }
    }

    [Fact]
    public async Task ConvertRecordFormatTurnsAnInterruptedRecordingsJournalIntoItsFileAndRemovesIt()
    {
        using var dir = new TempDir();
        var path = dir.File("r.json.z");
        var records = new List<Damon.Records.Model.DamonRecord>
        {
            new() { KdamondIdx = 0, ContextIdx = 0, TargetId = 0, Snapshots = [new(0, 100, [new(4096, 8192, 3, 1)]), new(100, 200, [new(4096, 8192, 0, 2)])] },
        };
        var expected = dir.File("expected");
        RecordFiles.Write(records, expected, Damon.Records.Model.RecordFileFormat.JsonCompressed);
        // What a killed or interrupted record leaves: the journal of every flush, no FILE.
        using (var streaming = new StreamingRecordFile(path, Damon.Records.Model.RecordFileFormat.JsonCompressed))
            streaming.Flush(records.Select(r => r.Clone()).ToList());
        var journal = RecordJournal.PathFor(path);

        var r = await DamonCli.Run("convert_record_format", "--record_file", journal, "--format", "json_compressed", "--output_file", path);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(File.ReadAllBytes(expected), File.ReadAllBytes(path));
        Assert.False(File.Exists(journal));
    }

    [Fact]
    public async Task UnknownFormatIsAUsageError()
    {
        var r = await DamonCli.Run("record", "--format", "xml", "--duration", "0.1");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("damon: wrong --format (xml): one of json_compressed, json, perf_script\n", r.Err);
    }
}
