using Damon.Records.IO;
using Damon.Records.Model;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary>
/// report heatmap and report wss read the record as a stream, in passes: a damaged file is still
/// one <c>damon: FILE: ...</c> line and exit 3, with nothing printed and no image written.
/// </summary>
public class StreamedReportCliTests
{
    private static string Record(TempDir dir)
    {
        var record = new DamonRecord { KdamondIdx = 0, ContextIdx = 0, TargetId = 0, Intervals = new DamonIntervals(5_000, 100_000, 1_000_000) };
        for (int s = 0; s < 50; s++)
            record.Snapshots.Add(new DamonSnapshot(s * 100_000_000L, (s + 1) * 100_000_000L,
                [new DamonRegion(0, 4096, 5, s), new DamonRegion(4096, 65536, s % 3, 1)]));
        string path = dir.File("damon.data");
        RecordFiles.Write([record], path, RecordFileFormat.JsonCompressed);
        return path;
    }

    [Theory]
    [InlineData("heatmap --output IMAGE")]
    [InlineData("heatmap --output raw")]
    [InlineData("heatmap --guide")]
    [InlineData("wss --json")]
    public async Task ATruncatedRecordIsOneInputErrorAndNoOutput(string report)
    {
        using var dir = new TempDir();
        string path = Record(dir);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        string image = dir.File("map.png");
        var r = await DamonCli.Run(["report", .. report.Replace("IMAGE", image).Split(' '), "-i", path]);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.StartsWith($"damon: {path}: at byte {bytes.Length - 3}: expected the end of the zlib stream (its Adler-32 checksum) after ", r.Err);
        Assert.EndsWith("; the file is truncated or corrupt\n", r.Err);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(image));
    }

    [Fact]
    public async Task ACorruptSnapshotNamesItsJsonPath()
    {
        using var dir = new TempDir();
        string path = dir.File("bad.json");
        File.WriteAllText(path, """[{"target_id": 0, "snapshots": [{"start_time": 0, "end_time": 100, "regions": []}, {"start_time": 200, "end_time": 100, "regions": []}]}]""");
        var r = await DamonCli.Run("report", "heatmap", "-i", path);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Equal($"damon: {path}: at $[0].snapshots[1]: expected an end_time not before the start_time, found start_time 200 and end_time 100\n", r.Err);
    }

    [Fact]
    public async Task AStreamedHeatmapImageIsWritten()
    {
        using var dir = new TempDir();
        string path = Record(dir), image = dir.File("map.png");
        var r = await DamonCli.Run("report", "heatmap", "-i", path, "--output", image, "--resol", "10", "10");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Err);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(image)[..4]);
    }
}
