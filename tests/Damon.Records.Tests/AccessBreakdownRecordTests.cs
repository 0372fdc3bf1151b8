using System.Text;
using Damon.Records.IO;
using Damon.Records.Model;
using Damon.Records.Reports;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>
/// The per-region access breakdown in records (<c>accesses_by</c>, <c>cpu_to_node</c>): JSON keeps
/// it, perf_script drops it, the reader checks it, and <c>report access --breakdown</c> and
/// <c>--access_of</c> read it.
/// </summary>
public class AccessBreakdownRecordTests
{
    private static DamonAccessBreakdown By((int, long)[] cpus, (int, long)[] tids, long writes, long reads) => new()
    {
        Cpus = new SortedDictionary<int, long>(cpus.ToDictionary(c => c.Item1, c => c.Item2)),
        Tids = new SortedDictionary<int, long>(tids.ToDictionary(c => c.Item1, c => c.Item2)),
        Writes = writes,
        Reads = reads,
    };

    /// <summary>
    /// One target, two 100 ms snapshots of three regions: [0, 4 KiB) 4 accesses (CPU 0 ×3 / tid 101,
    /// CPU 4 ×1 / tid 102; 1 write), [4 KiB, 12 KiB) 2 (CPU 5 / tid 102, writes), [12 KiB, 16 KiB) none.
    /// CPUs 0-1 are node 0, 4-5 node 1.
    /// </summary>
    public static List<DamonRecord> Sample(bool withNodes = true)
    {
        var record = new DamonRecord
        {
            KdamondIdx = 0,
            ContextIdx = 0,
            TargetId = 0,
            Intervals = new DamonIntervals(5_000, 100_000, 1_000_000),
            CpuToNode = withNodes ? new SortedDictionary<int, int> { [0] = 0, [1] = 0, [4] = 1, [5] = 1 } : null,
        };
        for (int s = 0; s < 2; s++)
        {
            record.Snapshots.Add(new DamonSnapshot(s * 100_000_000L, (s + 1) * 100_000_000L,
            [
                new DamonRegion(0, 4096, 4, 1) { AccessesBy = By([(0, 3), (4, 1)], [(101, 3), (102, 1)], writes: 1, reads: 3) },
                new DamonRegion(4096, 12288, 2, 3) { AccessesBy = By([(5, 2)], [(102, 2)], writes: 2, reads: 0) },
                new DamonRegion(12288, 16384, 0, 5) { AccessesBy = By([], [], 0, 0) },
            ]));
        }
        return [record];
    }

    private static void AssertSameBreakdown(DamonAccessBreakdown? expected, DamonAccessBreakdown? actual)
    {
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.Cpus, actual.Cpus);
        Assert.Equal(expected.Tids, actual.Tids);
        Assert.Equal(expected.Writes, actual.Writes);
        Assert.Equal(expected.Reads, actual.Reads);
    }

    [Theory]
    [InlineData(RecordFileFormat.Json)]
    [InlineData(RecordFileFormat.JsonCompressed)]
    public void json_records_keep_the_breakdown_and_the_cpu_to_node_map(RecordFileFormat format)
    {
        var records = Sample();
        using var dir = new TempDir();
        var path = dir.File("r.data");
        RecordFiles.Write(records, path, format);
        var back = Assert.Single(RecordFiles.Read(path));
        Assert.Equal(records[0].CpuToNode, back.CpuToNode);
        Assert.Equal(2, back.Snapshots.Count);
        for (int s = 0; s < 2; s++)
            for (int i = 0; i < 3; i++)
                AssertSameBreakdown(records[0].Snapshots[s].Regions[i].AccessesBy, back.Snapshots[s].Regions[i].AccessesBy);
    }

    [Fact]
    public void the_json_keys_sit_beside_damo_s_own()
    {
        string json = Encoding.UTF8.GetString(JsonRecordWriter.Serialize(Sample()));
        static string Lines(int indent, params string[] lines) => string.Join("\n", lines.Select(l => new string(' ', indent) + l));
        Assert.Contains(Lines(24,
            "\"sz_filter_passed\": \"0\",",
            "\"accesses_by\": {",
            "    \"cpu\": {",
            "        \"0\": 3,",
            "        \"4\": 1",
            "    },",
            "    \"tid\": {",
            "        \"101\": 3,",
            "        \"102\": 1",
            "    },",
            "    \"write\": 1,",
            "    \"read\": 3",
            "}"), json);
        Assert.Contains(Lines(8,
            "\"data_source\": \"unknown\",",
            "\"cpu_to_node\": {",
            "    \"0\": 0,",
            "    \"1\": 0,",
            "    \"4\": 1,",
            "    \"5\": 1",
            "}"), json);
    }

    [Fact]
    public void perf_script_drops_the_breakdown()
    {
        using var dir = new TempDir();
        var path = dir.File("r.perf");
        RecordFiles.Write(Sample(), path, RecordFileFormat.PerfScript);
        var back = Assert.Single(RecordFiles.Read(path));
        Assert.Null(back.CpuToNode);
        Assert.All(back.Snapshots.SelectMany(s => s.Regions), r => Assert.Null(r.AccessesBy));
    }

    [Theory]
    [InlineData("\"write\": 1,", "\"write\": 2,", "regions[0].accesses_by", "per-CPU, per-thread and write + read counts with one sum, found 4, 4 and 5")]
    [InlineData("\"4\": 1\n", "\"4\": 2\n", "regions[0].accesses_by", "per-CPU, per-thread and write + read counts with one sum, found 5, 4 and 4")]
    [InlineData("\"read\": 3", "\"read\": -1", "regions[0].accesses_by.read", "a non-negative value, found -1")]
    [InlineData("\"101\": 3", "\"x\": 3", "regions[0].accesses_by.tid.x", "a thread id (an integer) as the key, found \"x\"")]
    public void the_reader_refuses_a_breakdown_the_engine_cannot_produce(string find, string replace, string where, string expected)
    {
        string json = Encoding.UTF8.GetString(JsonRecordWriter.Serialize(Sample())).Replace("\r", "");
        int at = json.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, find);
        json = json[..at] + replace + json[(at + find.Length)..];
        var e = Assert.Throws<RecordFormatException>(() => JsonRecordReader.Parse(Encoding.UTF8.GetBytes(json), "r.json"));
        Assert.Equal($"$[0].snapshots[0].{where}", e.Location);
        Assert.Equal(expected, e.Expected);
    }

    [Fact]
    public void the_reader_refuses_more_attributed_accesses_than_nr_accesses()
    {
        var records = Sample();
        records[0].Snapshots[0].Regions[1].NrAccessesSamples = 1;
        var e = Assert.Throws<RecordFormatException>(() => JsonRecordReader.Parse(JsonRecordWriter.Serialize(records), "r.json"));
        Assert.Equal("$[0].snapshots[0].regions[1].accesses_by", e.Location);
        Assert.Equal("at most nr_accesses.samples (1) attributed accesses, found 2", e.Expected);
    }

    [Theory]
    [InlineData(BreakdownKind.Thread, "101 75 %, 102 25 %", "102 100 %")]
    [InlineData(BreakdownKind.Cpu, "0 75 %, 4 25 %", "5 100 %")]
    [InlineData(BreakdownKind.Node, "0 75 %, 1 25 %", "1 100 %")]
    [InlineData(BreakdownKind.Rw, "write 25 %, read 75 %", "write 100 %")]
    public void the_breakdown_adds_each_region_s_shares_to_its_line(BreakdownKind kind, string first, string second)
    {
        var plain = AccessReport.Render(Sample(), new AccessReportOptions()).Split('\n');
        var by = AccessReport.Render(Sample(), new AccessReportOptions { Breakdown = kind }).Split('\n');
        Assert.Equal(plain.Length, by.Length);
        var regionLines = Enumerable.Range(0, plain.Length).Where(i => plain[i].Contains(" addr ", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, regionLines.Count);
        string[] shares = [first, second, "no access"];
        for (int i = 0; i < plain.Length; i++)
        {
            int k = regionLines.IndexOf(i);
            Assert.Equal(k < 0 ? plain[i] : $"{plain[i]} by {kind.Name()}: {shares[k % 3]}", by[i]);
        }
    }

    [Fact]
    public void a_record_without_the_breakdown_is_refused_naming_the_primitive()
    {
        var records = Sample();
        records[0].Snapshots[1].Regions[2].AccessesBy = null;
        var e = Assert.Throws<ReportException>(() => AccessReport.Render(records, new AccessReportOptions { Breakdown = BreakdownKind.Cpu }));
        Assert.True(e.AboutRecord);
        Assert.Equal(AccessBreakdowns.MissingMessage, e.Message);
        Assert.Throws<ReportException>(() => new AccessOf(BreakdownKind.Rw, 1).Apply(records));

        var noNodes = Sample(withNodes: false);
        var n = Assert.Throws<ReportException>(() => AccessReport.Render(noNodes, new AccessReportOptions { Breakdown = BreakdownKind.Node }));
        Assert.Equal(AccessBreakdowns.MissingNodesMessage, n.Message);
        // Without nodes, a CPU breakdown still works.
        Assert.Contains("by cpu: 0 75 %, 4 25 %", AccessReport.Render(noNodes, new AccessReportOptions { Breakdown = BreakdownKind.Cpu }));
    }

    [Theory]
    [InlineData("cpu=0", new long[] { 3, 0, 0 })]
    [InlineData("cpu=5", new long[] { 0, 2, 0 })]
    [InlineData("node=1", new long[] { 1, 2, 0 })]
    [InlineData("tid=102", new long[] { 1, 2, 0 })]
    [InlineData("thread=101", new long[] { 3, 0, 0 })]
    [InlineData("write", new long[] { 1, 2, 0 })]
    [InlineData("read", new long[] { 3, 0, 0 })]
    [InlineData("cpu=9", new long[] { 0, 0, 0 })]
    public void access_of_counts_only_that_key_s_accesses(string key, long[] samples)
    {
        var of = AccessOf.TryParse(key, out var error);
        Assert.NotNull(of);
        Assert.Equal("", error);
        var records = Sample();
        var limited = of.Apply(records);
        foreach (var snapshot in limited[0].Snapshots)
        {
            Assert.Equal(samples, snapshot.Regions.Select(r => r.NrAccessesSamples!.Value));
            Assert.All(snapshot.Regions, r => Assert.Null(r.NrAccessesPercent));
        }
        // The input records are left as read.
        Assert.Equal(4, records[0].Snapshots[0].Regions[0].NrAccessesSamples);
    }

    [Theory]
    [InlineData("cpu", "cpu takes a non-negative number (cpu=N)")]
    [InlineData("cpu=-1", "cpu takes a non-negative number (cpu=N)")]
    [InlineData("node=x", "node takes a non-negative number (node=N)")]
    [InlineData("writes", "not one of cpu=N, node=N, tid=N, write or read")]
    public void access_of_refuses_other_keys(string key, string expected)
    {
        Assert.Null(AccessOf.TryParse(key, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void the_heatmap_of_one_key_draws_only_its_accesses()
    {
        var options = new HeatmapOptions { Resolution = (2, 4), AddressRanges = [(0, 16384)] };
        string Raw(List<DamonRecord> r) => HeatmapReport.RenderRaw(r, options);
        var all = Raw(Sample());
        var writes = Raw(new AccessOf(BreakdownKind.Rw, 1).Apply(Sample()));
        var reads = Raw(new AccessOf(BreakdownKind.Rw, 0).Apply(Sample()));
        Assert.NotEqual(all, writes);
        Assert.NotEqual(all, reads);
        // Heat is linear in nr_accesses: writes + reads give the whole map, pixel by pixel.
        static double[] Heats(string raw) => raw.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => double.Parse(l.Split('\t')[2], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var (h, w, r) = (Heats(all), Heats(writes), Heats(reads));
        Assert.Equal(8, h.Length);
        Assert.Equal(h.Length, w.Length);
        // The first pixel is before region 0's observation (NaN, no data) in every map alike.
        Assert.Equal(1, h.Count(double.IsNaN));
        for (int i = 0; i < h.Length; i++)
        {
            if (double.IsNaN(h[i]))
                Assert.True(double.IsNaN(w[i]) && double.IsNaN(r[i]));
            else
                Assert.Equal(h[i], w[i] + r[i], 6);
        }
    }
}
