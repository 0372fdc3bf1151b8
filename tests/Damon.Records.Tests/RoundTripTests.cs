using System.IO.Compression;
using System.Text.Json;
using Damon.Records.IO;
using Damon.Records.Model;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>Our writers produce files our readers (and damo's) read back to the same records.</summary>
public class RoundTripTests
{
    public static TheoryData<string, string> InputsAndFormats()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in DamoReportData.InputNames())
            foreach (var format in new[] { "json_compressed", "json", "perf_script" })
                data.Add(name, format);
        return data;
    }

    [Theory]
    [MemberData(nameof(InputsAndFormats))]
    public void Written_records_read_back_equal(string inputName, string formatName)
    {
        Assert.True(RecordFileFormatNames.TryParse(formatName, out var format));
        var original = RecordFiles.Read(DamoReportData.Input(inputName));
        using var dir = new TempDir();
        var path = dir.File("out.data");
        RecordFiles.Write(original, path, format);
        var back = RecordFiles.Read(path);

        if (format == RecordFileFormat.PerfScript)
            AssertSameTrace(original, back);
        else
            Assert.Equal(Canonical(original), Canonical(back));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Written_json_compressed_is_a_zlib_stream_with_the_fields_damo_reads()
    {
        var records = RecordFiles.Read(DamoReportData.Input("damon.data.snapshot.active"));
        using var dir = new TempDir();
        var path = dir.File("damon.data");
        RecordFiles.Write(records, path, RecordFileFormat.JsonCompressed);

        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(0x78, bytes[0]);
        Assert.Equal(0, ((bytes[0] << 8) | bytes[1]) % 31);
        using var zlib = new ZLibStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(zlib);
        var record = doc.RootElement[0];
        foreach (var key in new[] { "kdamond_idx", "context_idx", "intervals", "scheme_idx", "target_id", "scheme_filters", "snapshots", "data_source" })
            Assert.True(record.TryGetProperty(key, out _), key);
        foreach (var key in new[] { "sample_us", "aggr_us", "ops_update_us", "intervals_goal" })
            Assert.True(record.GetProperty("intervals").TryGetProperty(key, out _), key);
        var filter = record.GetProperty("scheme_filters")[0];
        foreach (var key in new[] { "filter_type", "matching", "allow", "memcg_path", "address_range", "damon_target_idx" })
            Assert.True(filter.TryGetProperty(key, out _), key);
        var snapshot = record.GetProperty("snapshots")[0];
        foreach (var key in new[] { "start_time", "end_time", "regions", "total_bytes" })
            Assert.True(snapshot.TryGetProperty(key, out _), key);
        var region = snapshot.GetProperty("regions")[0];
        Assert.Equal("4294967296", region.GetProperty("start").GetString());
        Assert.Equal(0, region.GetProperty("nr_accesses").GetProperty("samples").GetInt64());
        Assert.Equal(JsonValueKind.Null, region.GetProperty("age").GetProperty("usec").ValueKind);
        Assert.Equal("5", region.GetProperty("age").GetProperty("aggr_intervals").GetString());
        Assert.Equal("32862371", region.GetProperty("sz_filter_passed").GetString());
    }

    [Fact]
    public void Generated_records_round_trip_through_every_format()
    {
        var random = new Random(6);
        for (int iteration = 0; iteration < 50; iteration++)
        {
            var records = RandomRecords(random);
            using var dir = new TempDir();
            foreach (var format in Enum.GetValues<RecordFileFormat>())
            {
                var path = dir.File("r." + format.ToDamoName());
                RecordFiles.Write(records, path, format);
                var back = RecordFiles.Read(path);
                if (format == RecordFileFormat.PerfScript) AssertSameTrace(records, back);
                else Assert.Equal(Canonical(records), Canonical(back));
            }
        }
    }

    [Fact]
    public void A_single_snapshot_survives_perf_script_through_the_fake_trailing_snapshot()
    {
        var record = new DamonRecord { TargetId = 7 };
        record.Snapshots.Add(new DamonSnapshot(1_000_000_000, 1_100_000_000, [new DamonRegion(4096, 8192, 3, 2)]));
        using var dir = new TempDir();
        var path = dir.File("one.txt");
        RecordFiles.Write([record], path, RecordFileFormat.PerfScript);
        Assert.Equal(2, File.ReadAllLines(path).Length);
        var back = Assert.Single(RecordFiles.Read(path));
        var snapshot = Assert.Single(back.Snapshots);
        Assert.Equal(1_000_000_000, snapshot.StartTimeNs);
        Assert.Equal(1_100_000_000, snapshot.EndTimeNs);
    }

    private static List<DamonRecord> RandomRecords(Random random)
    {
        var records = new List<DamonRecord>();
        int nrRecords = random.Next(1, 3);
        for (int r = 0; r < nrRecords; r++)
        {
            var record = new DamonRecord
            {
                KdamondIdx = random.Next(2) == 0 ? null : random.Next(4),
                ContextIdx = random.Next(2) == 0 ? null : random.Next(4),
                TargetId = (ulong)(r + 1) * 0x9000_0000_0000_0000UL / 3,
                Intervals = random.Next(2) == 0 ? null : new DamonIntervals(5000, 100000, 1000000),
            };
            // Times on whole microseconds: perf_script keeps microsecond resolution.
            long time = random.NextInt64(1, 1L << 40) * 1000;
            int nrSnapshots = random.Next(1, 5);
            for (int s = 0; s < nrSnapshots; s++)
            {
                long end = time + random.Next(1, 1_000_000) * 1000L;
                var regions = new List<DamonRegion>();
                long addr = random.NextInt64(0, 1L << 46) & ~0xfffL;
                int nrRegions = random.Next(1, 6);
                for (int i = 0; i < nrRegions; i++)
                {
                    long sz = random.Next(1, 1 << 20) * 4096L;
                    regions.Add(new DamonRegion(addr, addr + sz, random.Next(0, 21), random.Next(0, 1000), random.Next(0, 2) * sz / 2));
                    addr += sz + (random.Next(3) == 0 ? 4096 * random.Next(1, 100) : 0);
                }
                record.Snapshots.Add(new DamonSnapshot(time, end, regions));
                time = end;
            }
            records.Add(record);
        }
        return records;
    }

    /// <summary>A record list as JSON text: equal text means equal records.</summary>
    private static string Canonical(IReadOnlyList<DamonRecord> records) =>
        System.Text.Encoding.UTF8.GetString(JsonRecordWriter.Serialize(records));

    /// <summary>perf_script keeps targets, end times (to the microsecond), regions, samples and age only.</summary>
    private static void AssertSameTrace(IReadOnlyList<DamonRecord> expected, IReadOnlyList<DamonRecord> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r].TargetId ?? 0, actual[r].TargetId);
            Assert.Equal(expected[r].Snapshots.Count, actual[r].Snapshots.Count);
            for (int s = 0; s < expected[r].Snapshots.Count; s++)
            {
                var es = expected[r].Snapshots[s];
                var @as = actual[r].Snapshots[s];
                Assert.InRange(@as.EndTimeNs - es.EndTimeNs, -1000, 1000);
                Assert.Equal(es.Regions.Count, @as.Regions.Count);
                for (int i = 0; i < es.Regions.Count; i++)
                {
                    var er = es.Regions[i].Clone();
                    er.Resolve(expected[r].Intervals);
                    var ar = @as.Regions[i];
                    Assert.Equal((er.Start, er.End, er.NrAccessesSamples, er.AgeAggrIntervals), (ar.Start, ar.End, ar.NrAccessesSamples, ar.AgeAggrIntervals));
                }
            }
        }
    }
}
