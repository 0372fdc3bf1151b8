using Damon.Records.IO;
using Damon.Records.Model;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>
/// A record far larger than one buffer (zero intervals give one snapshot per simulated
/// microsecond) streams to its file in pieces instead of being held whole until the end, where
/// Utf8JsonWriter's 2 GiB buffer limit ended the save with OutOfMemoryException.
/// </summary>
public class LargeRecordWriteTests
{
    /// <summary>Remembers the largest single write it was handed.</summary>
    private sealed class LargestWrite : MemoryStream
    {
        public int MaxWriteBytes { get; private set; }
        public int NrWrites { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            MaxWriteBytes = Math.Max(MaxWriteBytes, count);
            NrWrites++;
            base.Write(buffer, offset, count);
        }

        // Stream's span overload of a derived MemoryStream comes back through the array one.
        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);
    }

    [Fact]
    public void ManySnapshotsGoToTheStreamAsTheyAreWritten()
    {
        var record = new DamonRecord { KdamondIdx = 0, ContextIdx = 0, TargetId = 0 };
        for (int s = 0; s < 400; s++)
        {
            var snapshot = new DamonSnapshot { StartTimeNs = s * 1_000L, EndTimeNs = (s + 1) * 1_000L };
            for (int r = 0; r < 100; r++)
                snapshot.Regions.Add(new DamonRegion(r * 4096L, (r + 1) * 4096L, r % 3, s));
            record.Snapshots.Add(snapshot);
        }
        using var stream = new LargestWrite();

        JsonRecordWriter.Write([record], stream);

        // Several MiB in all, none of it in a write much above the 1 MiB flush threshold.
        Assert.True(stream.Length > 4 << 20, $"only {stream.Length} bytes");
        Assert.InRange(stream.MaxWriteBytes, 1, (1 << 20) + (256 << 10));
        Assert.True(stream.NrWrites >= 4, $"{stream.NrWrites} writes");
        var back = Assert.Single(JsonRecordReader.Parse(stream.ToArray(), "test.json"));
        Assert.Equal(400, back.Snapshots.Count);
        Assert.Equal(100, back.Snapshots[399].Regions.Count);
        Assert.Equal(400_000L, back.Snapshots[399].EndTimeNs);
        Assert.Equal(2L, back.Snapshots[399].Regions[98].NrAccessesSamples);
    }
}
