using Damon.Records.IO;
using Damon.Records.Model;
using Damon.Records.Reports;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>
/// Reports on long records read the file as a stream (<see cref="RecordSource"/>): the reader
/// hands out one snapshot at a time, and report wss / heatmap keep only their accumulators.
/// </summary>
public class StreamedReportTests
{
    /// <summary>Two targets with hand-picked regions: a hot 4 KiB page moving across 64 KiB, a cold rest, a gap.</summary>
    private static List<DamonRecord> Small(int nrSnapshots = 12)
    {
        var records = new List<DamonRecord>();
        for (int t = 0; t < 2; t++)
        {
            var record = new DamonRecord { KdamondIdx = 0, ContextIdx = 0, TargetId = (ulong)t, Intervals = new DamonIntervals(5_000, 100_000, 1_000_000) };
            for (int s = 0; s < nrSnapshots; s++)
            {
                long hot = 4096L * (s % 15);
                var regions = new List<DamonRegion>();
                if (hot > 0) regions.Add(new DamonRegion(0, hot, 0, s));
                regions.Add(new DamonRegion(hot, hot + 4096, 20 - t, 1));
                regions.Add(new DamonRegion(hot + 4096, 65536, 1, s));
                regions.Add(new DamonRegion(1 << 20, (1 << 20) + 8192, 3, 2));
                record.Snapshots.Add(new DamonSnapshot(s * 100_000_000L, (s + 1) * 100_000_000L, regions));
            }
            records.Add(record);
        }
        return records;
    }

    private static string Write(TempDir dir, List<DamonRecord> records, RecordFileFormat format = RecordFileFormat.JsonCompressed)
    {
        string path = dir.File("damon.data");
        RecordFiles.Write(records, path, format);
        return path;
    }

    [Fact]
    public void EventsOfAFileAreItsRecordsInOrder()
    {
        using var dir = new TempDir();
        var path = Write(dir, Small(3));
        var kinds = RecordFiles.ReadEvents(path).Select(e => $"{e.Kind}{e.RecordIndex}").ToList();
        Assert.Equal(["Start0", "Snapshot0", "Snapshot0", "Snapshot0", "End0", "Start1", "Snapshot1", "Snapshot1", "Snapshot1", "End1"], kinds);
        var second = RecordFiles.ReadEvents(path).Where(e => e.Kind == RecordEventKind.Snapshot).ElementAt(4).Snapshot!;
        Assert.Equal(100_000_000L, second.StartTimeNs);
        Assert.Equal("4096-8192: 19 1", second.Regions[1].ToString());
        Assert.Equal(65536 + 8192, second.TotalSz);
    }

    [Theory]
    [InlineData(RecordFileFormat.Json)]
    [InlineData(RecordFileFormat.JsonCompressed)]
    [InlineData(RecordFileFormat.PerfScript)]
    public void StreamedReportsPrintWhatTheWholeRecordPrints(RecordFileFormat format)
    {
        using var dir = new TempDir();
        var records = Small();
        var path = Write(dir, records, format);
        var whole = RecordFiles.Read(path);
        var wss = new WssReportOptions { ExcludeSamples = 2 };
        Assert.Equal(WssReport.Render(whole, wss), WssReport.Render(RecordSource.OfFile(path), wss));
        Assert.Equal(WssReport.RenderJson(whole, new WssReportOptions { SortBy = "time", WorkTimeUs = 250_000 }),
            WssReport.RenderJson(RecordSource.OfFile(path), new WssReportOptions { SortBy = "time", WorkTimeUs = 250_000 }));
        foreach (var o in HeatmapCases())
        {
            Assert.Equal(Printed(() => HeatmapReport.RenderTerminal(whole, o)), Printed(() => HeatmapReport.RenderTerminal(RecordSource.OfFile(path), o)));
            Assert.Equal(Printed(() => HeatmapReport.RenderRaw(whole, o)), Printed(() => HeatmapReport.RenderRaw(RecordSource.OfFile(path), o)));
        }
        Assert.Equal(HeatmapGuide.Render(whole, raw: true), HeatmapGuide.Render(RecordSource.OfFile(path), raw: true));
    }

    /// <summary>The output, or the refusal (perf_script records carry no intervals to sort by temperature with).</summary>
    private static string Printed(Func<string> render)
    {
        try
        {
            return render();
        }
        catch (ReportException e)
        {
            return "refused: " + e.Message;
        }
    }

    private static IEnumerable<HeatmapOptions> HeatmapCases() =>
    [
        new() { Resolution = (6, 8) },
        new() { Resolution = (6, 8), DrawRange = "all" },
        new() { Resolution = (6, 8), TargetId = 1, SortTemperature = true },
        new() { Resolution = (4, 4), AddressRanges = [(0, 32768), (1 << 20, (1 << 20) + 8192)], DfPassed = true },
    ];

    [Fact]
    public void TheSmallRecordsReportsAreExact()
    {
        using var dir = new TempDir();
        var path = Write(dir, Small());
        // Per target the working set is the hot page, the rest of the 64 KiB above it and the
        // 8 KiB region: 72 KiB - hot; collapsed, 144 KiB - 8 KiB x s for s = 0..11.
        Assert.Equal("""
            # target_id	0
            # <percentile> <wss>
            # avr:	100.000 KiB
              0      56.000 KiB |**********************                                     |
             25      80.000 KiB |********************************                           |
             50     104.000 KiB |******************************************                 |
             75     128.000 KiB |****************************************************       |
            100     144.000 KiB |********************************************************** |

            """.Replace("\r", ""), WssReport.Render(RecordSource.OfFile(path), new WssReportOptions { ExcludeSamples = 0 }));
        // The hottest range is the 8 KiB one (3 accesses per byte and snapshot against under 2.2 in
        // the 64 KiB): 3 accesses per 100 ms everywhere, over [-200 ms, 1.2 s) (the first
        // snapshot's oldest region is 2 aggregations old).
        var raw = HeatmapReport.RenderRaw(RecordSource.OfFile(path), new HeatmapOptions { Resolution = (2, 2) });
        Assert.Equal("0\t0\t30.0\n0\t4096\t30.0\n700000000\t0\t30.0\n700000000\t4096\t30.0\n", raw);
    }

    [Fact]
    public void HeatmapReadsTheRecordTwiceAndWssOnce()
    {
        using var dir = new TempDir();
        var path = Write(dir, Small());
        var heatmap = RecordSource.OfFile(path);
        HeatmapReport.RenderTerminal(heatmap, new HeatmapOptions());
        Assert.Equal(2, heatmap.Passes);
        var sorted = RecordSource.OfFile(path);
        HeatmapReport.RenderTerminal(sorted, new HeatmapOptions { SortTemperature = true });
        Assert.Equal(3, sorted.Passes);
        var wss = RecordSource.OfFile(path);
        WssReport.Render(wss, new WssReportOptions());
        Assert.Equal(1, wss.Passes);
    }

    /// <summary>
    /// Snapshots made on the fly, each wrecked (times zeroed, one giant hot region) as soon as
    /// the consumer asks for the <paramref name="keep"/>-th after it: a report that kept an older
    /// snapshot would print something else.
    /// </summary>
    private static RecordSource Wrecking(List<DamonRecord> records, int keep)
    {
        return new RecordSource(Events);

        IEnumerable<RecordEvent> Events()
        {
            var live = new Queue<DamonSnapshot>();
            foreach (var e in RecordSource.Of(records).Events())
            {
                if (e.Kind != RecordEventKind.Snapshot)
                {
                    yield return e;
                    continue;
                }
                var fresh = e.Snapshot!.Clone();
                live.Enqueue(fresh);
                if (live.Count > keep)
                {
                    var old = live.Dequeue();
                    old.StartTimeNs = 0;
                    old.EndTimeNs = 0;
                    old.Regions = [new DamonRegion(0, 1L << 40, 1_000, 1_000)];
                }
                yield return RecordEvent.Of(e.RecordIndex, fresh);
            }
        }
    }

    [Fact]
    public void ReportsKeepNoSnapshotTheyAreDoneWith()
    {
        var records = Small(40);
        var o = new WssReportOptions { ExcludeSamples = 3 };
        Assert.Equal(WssReport.Render(records, o), WssReport.Render(Wrecking(records, keep: 1), o));
        // Four 100 ms snapshots make a 400 ms work-time group: the group is all that is held.
        var grouped = new WssReportOptions { WorkTimeUs = 400_000, SortBy = "time" };
        Assert.Equal(WssReport.Render(records, grouped), WssReport.Render(Wrecking(records, keep: 4), grouped));
        Assert.NotEqual(WssReport.Render(records, grouped), WssReport.Render(Wrecking(records, keep: 3), grouped));
        foreach (var h in HeatmapCases())
            Assert.Equal(HeatmapReport.RenderRaw(records, h), HeatmapReport.RenderRaw(Wrecking(records, keep: 1), h));
    }

    /// <summary>A stream that counts what was read from it.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public void TheReaderHandsOutEachSnapshotBeforeReadingFarPastIt()
    {
        var json = JsonRecordWriter.Serialize(Small(400));
        const int BufferBytes = 8192;
        var input = new CountingStream(new MemoryStream(json));
        var reader = new JsonRecordStreamReader(input, "mem", bufferBytes: BufferBytes);
        int n = 0;
        foreach (var e in reader.Events())
        {
            if (e.Kind != RecordEventKind.Snapshot) continue;
            n++;
            // Snapshots are alike in size: by the n-th of 800, about n/800 of the JSON is needed.
            long needed = json.Length * (long)n / 800;
            Assert.InRange(input.BytesRead, needed - 2 * BufferBytes, needed + 2 * BufferBytes);
        }
        Assert.Equal(800, n);
        Assert.Equal(800, reader.FastSnapshots);
    }

    [Fact]
    public void TheTokenPathReadsWhatTheDocumentWalkReads()
    {
        // Damo's string numbers, JSON numbers, nulls, unknown keys, probe hits, address-only regions.
        var json = """
            [{"kdamond_idx": 0, "context_idx": 0, "intervals": null, "scheme_idx": null, "target_id": "7", "snapshots": [
              {"start_time": "0", "end_time": 100, "total_bytes": null, "extra": {"a": [1, 2]}, "regions": [
                {"start": "4096", "end": 8192, "nr_accesses": {"samples": "3", "percent": null}, "age": {"usec": null, "aggr_intervals": 2},
                 "probe_hits": ["1", 2], "sz_filter_passed": null},
                {"start": 8192, "end": "12288"},
                {"start": 12288, "end": 16384, "nr_accesses": null, "age": null, "probe_hits": "none", "sz_filter_passed": "512"}]},
              {"start_time": 100, "end_time": 200, "total_bytes": "65536", "sample_interval_us": "5000", "regions": []}]}]
            """u8.ToArray();
        var reader = new JsonRecordStreamReader(new MemoryStream(json), "mem");
        var streamed = RecordSource.ToRecords(reader.Events());
        Assert.Equal(2, reader.FastSnapshots);
        var walked = JsonRecordReader.Parse(json, "mem");
        Assert.Equal(JsonRecordWriter.Serialize(walked), JsonRecordWriter.Serialize(streamed));
        var regions = streamed[0].Snapshots[0].Regions;
        Assert.Equal([1L, 2L], regions[0].ProbeHits);
        Assert.Null(regions[1].SzFilterPassed);
        Assert.Equal(512L, regions[2].SzFilterPassed);
        Assert.Equal(65536L, streamed[0].Snapshots[1].TotalBytes);
    }

    [Theory]
    [InlineData("\"start\": \"4K\"")]
    [InlineData("\"start\": 4096.0")]
    [InlineData("\"start\": 4096, \"start\": 4096")]
    public void OtherShapesAreWalkedAsDocuments(string start)
    {
        var json = System.Text.Encoding.UTF8.GetBytes(
            $$"""[{"target_id": 0, "snapshots": [{"start_time": 0, "end_time": 100, "regions": [{{{start}}, "end": 8192}]}]}]""");
        var reader = new JsonRecordStreamReader(new MemoryStream(json), "mem");
        var streamed = RecordSource.ToRecords(reader.Events());
        Assert.Equal(0, reader.FastSnapshots);
        Assert.Equal(4096L, streamed[0].Snapshots[0].Regions[0].Start);
    }

    [Fact]
    public void ABadSnapshotIsReportedAsTheWalkWordsIt()
    {
        var json = """[{"target_id": 0, "snapshots": [{"start_time": 0, "end_time": 100, "regions": [{"start": 8192, "end": 4096}]}]}]"""u8.ToArray();
        var e = Assert.Throws<RecordFormatException>(() =>
            RecordSource.ToRecords(new JsonRecordStreamReader(new MemoryStream(json), "f").Events()));
        Assert.Equal("f: at $[0].snapshots[0].regions[0]: expected an end greater than the start, found start 8192 and end 4096", e.Message);
    }

    [Fact]
    public void ATruncatedCompressedRecordFailsBeforeTheReportEnds()
    {
        using var dir = new TempDir();
        var path = Write(dir, Small());
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^2]);
        var e = Assert.Throws<RecordFormatException>(() => WssReport.Render(RecordSource.OfFile(path), new WssReportOptions()));
        Assert.Equal(path, e.FilePath);
        Assert.Equal($"byte {bytes.Length - 2}", e.Location);
        Assert.StartsWith("the end of the zlib stream (its Adler-32 checksum) after ", e.Expected);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        e = Assert.Throws<RecordFormatException>(() => HeatmapReport.RenderTerminal(RecordSource.OfFile(path), new HeatmapOptions()));
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void VectorAdler32EqualsTheByteLoop()
    {
        var random = new Random(14);
        foreach (int length in new[] { 0, 1, 31, 32, 33, 5551, 5552, 5553, 100_003, 1 << 20 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            if (length > 1000) data.AsSpan(0, 1000).Fill(0xff);
            uint a = 1, b = 0;
            foreach (var x in data)
            {
                a = (a + x) % 65521;
                b = (b + a) % 65521;
            }
            Assert.Equal((b << 16) | a, RecordFiles.Adler32(data));
        }
    }
}
