using System.IO.Compression;
using Damon.Records.IO;
using Damon.Records.Model;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>
/// JSON records above <see cref="RecordFiles.StreamingReadBytes"/> are read as a stream, one
/// snapshot at a time, instead of whole into a byte array (which ended at 2 GiB). Here the
/// threshold is lowered so a file of a few MiB takes that path.
/// </summary>
public class StreamingJsonReadTests
{
    private static List<DamonRecord> Synthetic(int nrSnapshots)
    {
        var records = new List<DamonRecord>();
        for (int t = 0; t < 3; t++)
        {
            var record = new DamonRecord { KdamondIdx = 0, ContextIdx = t / 2, TargetId = (ulong)t, Intervals = new DamonIntervals(5_000, 100_000, 1_000_000) };
            for (int s = 0; s < nrSnapshots; s++)
            {
                var snapshot = new DamonSnapshot(s * 100_000_000L, (s + 1) * 100_000_000L, []) { DamosStats = t == 2 ? new DamosStats(s, 4096L * s, 1, 4096, 0, 0, 0, 0) : null };
                for (int r = 0; r < 20; r++)
                    snapshot.Regions.Add(new DamonRegion((r + 1) * 1_048_576L, (r + 2) * 1_048_576L, (r * s) % 21, s - r > 0 ? s - r : 0));
                record.Snapshots.Add(snapshot);
            }
            records.Add(record);
        }
        return records;
    }

    [Theory]
    [InlineData(RecordFileFormat.Json)]
    [InlineData(RecordFileFormat.JsonCompressed)]
    public void StreamedReadEqualsTheInMemoryRead(RecordFileFormat format)
    {
        using var dir = new TempDir();
        string path = dir.File("big");
        RecordFiles.Write(Synthetic(1_000), path, format);
        long jsonBytes = JsonRecordWriter.Serialize(Synthetic(1_000)).Length;
        Assert.True(jsonBytes > 10 << 20, $"only {jsonBytes} bytes of JSON");

        var streamed = RecordFiles.Read(path, streamingReadBytes: 1 << 20);
        var inMemory = RecordFiles.Read(path, streamingReadBytes: long.MaxValue);

        Assert.Equal([1_000, 1_000, 1_000], streamed.Select(r => r.Snapshots.Count));
        Assert.True(JsonRecordWriter.Serialize(inMemory).AsSpan().SequenceEqual(JsonRecordWriter.Serialize(streamed)));
        Assert.Equal(999L * 4096, streamed[2].Snapshots[999].DamosStats!.SzTried);
    }

    [Fact]
    public void CutStreamedJsonIsATruncationError()
    {
        using var dir = new TempDir();
        string path = dir.File("cut.json");
        var bytes = JsonRecordWriter.Serialize(Synthetic(200));
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 1000).ToArray());
        var e = Assert.Throws<RecordFormatException>(() => RecordFiles.Read(path, streamingReadBytes: 4096));
        Assert.Equal($"more JSON, but the JSON ends after {bytes.Length - 1000} bytes (truncated file?)", e.Expected);
    }

    [Fact]
    public void CutStreamedCompressedJsonIsATruncationError()
    {
        using var dir = new TempDir();
        string path = dir.File("cut.json_compressed");
        using (var output = new MemoryStream())
        {
            using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
                zlib.Write(JsonRecordWriter.Serialize(Synthetic(200)));
            File.WriteAllBytes(path, output.ToArray().AsSpan(0, (int)output.Length - 3).ToArray());
        }
        var e = Assert.Throws<RecordFormatException>(() => RecordFiles.Read(path, streamingReadBytes: 4096));
        Assert.StartsWith("the end of the zlib stream (its Adler-32 checksum)", e.Expected);
    }

    [Fact]
    public void StreamedRecordErrorsNameTheirJsonPath()
    {
        using var dir = new TempDir();
        string path = dir.File("bad.json");
        var records = Synthetic(50);
        records[1].Snapshots[40].Regions[3] = new DamonRegion(8192, 4096, 1, 1);
        File.WriteAllBytes(path, JsonRecordWriter.Serialize(records));
        var streamed = Assert.Throws<RecordFormatException>(() => RecordFiles.Read(path, streamingReadBytes: 4096));
        var inMemory = Assert.Throws<RecordFormatException>(() => RecordFiles.Read(path, streamingReadBytes: long.MaxValue));
        Assert.Equal("$[1].snapshots[40].regions[3]", streamed.Location);
        Assert.Equal(inMemory.Message, streamed.Message);

        File.WriteAllText(path, "[{\"kdamond_idx\": 0}]");
        Assert.Equal(RecordFilesError(path, long.MaxValue), RecordFilesError(path, 1));
        File.WriteAllText(path, "[{\"snapshots\": 3}, 4]");
        Assert.Equal(RecordFilesError(path, long.MaxValue), RecordFilesError(path, 1));
        File.WriteAllText(path, "[4]");
        Assert.Equal(RecordFilesError(path, long.MaxValue), RecordFilesError(path, 1));
    }

    private static string RecordFilesError(string path, long streamingReadBytes) =>
        Assert.Throws<RecordFormatException>(() => RecordFiles.Read(path, streamingReadBytes)).Message;
}
