using System.IO.Compression;
using System.Text;
using Damon.Records.IO;
using Damon.Records.Model;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>Broken record files fail with an error naming the file, where, and what was expected.</summary>
public class CorruptInputTests
{
    private static RecordFormatException ReadFails(string path) => Assert.Throws<RecordFormatException>(() => RecordFiles.Read(path));

    [Theory]
    [InlineData(2)]
    [InlineData(100)]
    [InlineData(35000)]
    public void Truncated_json_compressed_names_file_and_byte_offset(int keptBytes)
    {
        using var dir = new TempDir();
        var path = dir.File("truncated.data");
        File.WriteAllBytes(path, File.ReadAllBytes(DamoReportData.Input("damon.data"))[..keptBytes]);
        var e = ReadFails(path);
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": at byte ", e.Message);
        Assert.Matches(@"at byte \d+", e.Message);
        Assert.Contains("expected", e.Message);
    }

    [Fact]
    public void Corrupted_zlib_bytes_name_the_compressed_offset()
    {
        using var dir = new TempDir();
        var path = dir.File("corrupt.data");
        var bytes = File.ReadAllBytes(DamoReportData.Input("damon.data.snapshot.nofilter"));
        for (int i = 10; i < 60; i++) bytes[i] ^= 0x5a;
        File.WriteAllBytes(path, bytes);
        var e = ReadFails(path);
        Assert.Matches(@"^.+corrupt\.data: at byte \d+", e.Message);
    }

    [Fact]
    public void Truncated_plain_json_says_where_it_ended()
    {
        using var dir = new TempDir();
        var path = dir.File("cut.json");
        var json = Encoding.UTF8.GetBytes("[{\"target_id\": 1, \"snapshots\": [{\"start_time\": \"0\", \"end_time\": ");
        File.WriteAllBytes(path, json);
        var e = ReadFails(path);
        Assert.Equal($"byte {json.Length}", e.Location);
        Assert.Contains("truncated", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Wrong_field_value_is_reported_with_its_json_path()
    {
        var e = ParseJsonFails("""[{"target_id": 1, "snapshots": [{"start_time": "0", "end_time": "100", "regions": [""" +
            """{"start": "0", "end": "4096", "nr_accesses": {"samples": 1, "percent": null}, "age": {"usec": null, "aggr_intervals": 1}},""" +
            """{"start": "four", "end": "8192", "nr_accesses": {"samples": 1, "percent": null}, "age": {"usec": null, "aggr_intervals": 1}}]}]}]""");
        Assert.Equal("$[0].snapshots[0].regions[1].start", e.Location);
        Assert.Contains("size in bytes", e.Expected);
        Assert.Contains("\"four\"", e.Expected);
    }

    [Fact]
    public void Missing_snapshots_list_is_reported_on_the_record()
    {
        var e = ParseJsonFails("""[{"target_id": 1}]""");
        Assert.Equal("$[0]", e.Location);
        Assert.Contains("\"snapshots\"", e.Expected);
    }

    [Fact]
    public void Region_with_end_before_start_is_rejected()
    {
        var e = ParseJsonFails("""[{"snapshots": [{"start_time": 0, "end_time": 1, "regions": [{"start": 8192, "end": 4096, "nr_accesses": {"samples": 0}, "age": {"aggr_intervals": 0}}]}]}]""");
        Assert.Equal("$[0].snapshots[0].regions[0]", e.Location);
    }

    private static string OneSnapshot(string regions, string times = "\"start_time\": 0, \"end_time\": 100") =>
        "[{\"intervals\": {\"sample_us\": 5000, \"aggr_us\": 100000, \"ops_update_us\": 1000000}, \"snapshots\": [{" + times + ", \"regions\": [" + regions + "]}]}]";

    private static string Region(long start, long end, long samples = 1) =>
        $$$"""{"start": {{{start}}}, "end": {{{end}}}, "nr_accesses": {"samples": {{{samples}}}}, "age": {"aggr_intervals": 0}}""";

    public static TheoryData<string, string> ImpossibleValues() => new()
    {
        { OneSnapshot(Region(0, 4096) + ", " + Region(4096, 4096)),
            "mem.json: at $[0].snapshots[0].regions[1]: expected an end greater than the start, found start 4096 and end 4096" },
        { OneSnapshot(Region(8192, 4096)),
            "mem.json: at $[0].snapshots[0].regions[0]: expected an end greater than the start, found start 8192 and end 4096" },
        { OneSnapshot(Region(-4096, 4096)),
            "mem.json: at $[0].snapshots[0].regions[0].start: expected a non-negative address, found -4096" },
        { OneSnapshot(Region(0, 4096, samples: -2)),
            "mem.json: at $[0].snapshots[0].regions[0].nr_accesses.samples: expected a non-negative count, found -2" },
        { OneSnapshot(Region(0, 8192) + ", " + Region(4096, 12288)),
            "mem.json: at $[0].snapshots[0].regions[1]: expected a region not overlapping regions[0] [0, 8192), found [4096, 12288)" },
        { OneSnapshot(Region(8192, 12288) + ", " + Region(0, 4096) + ", " + Region(4096, 9000)),
            "mem.json: at $[0].snapshots[0].regions[2]: expected a region not overlapping regions[0] [8192, 12288), found [4096, 9000)" },
        { OneSnapshot(Region(0, 4096), "\"start_time\": 200, \"end_time\": 100"),
            "mem.json: at $[0].snapshots[0]: expected an end_time not before the start_time, found start_time 200 and end_time 100" },
        { OneSnapshot(Region(0, 4096), "\"start_time\": -5, \"end_time\": 100"),
            "mem.json: at $[0].snapshots[0].start_time: expected a non-negative value, found -5" },
        { """[{"snapshots": [{"start_time": 0, "end_time": 1, "regions": [], "sample_interval_us": -1}]}]""",
            "mem.json: at $[0].snapshots[0].sample_interval_us: expected a non-negative sampling interval, found -1" },
        { OneSnapshot("""{"start": 0, "end": 18446744073709551617, "nr_accesses": {"samples": 1}, "age": {"aggr_intervals": 0}}"""),
            "mem.json: at $[0].snapshots[0].regions[0].end: expected a value within 64-bit signed range, found 18446744073709551617" },
        // Unit multiplication used to overflow decimal and escape as OverflowException.
        { OneSnapshot("""{"start": 0, "end": "99999999999999999999999999 EiB", "nr_accesses": {"samples": 1}, "age": {"aggr_intervals": 0}}"""),
            "mem.json: at $[0].snapshots[0].regions[0].end: expected a size in bytes (number or text like \"4 KiB\"), found \"99999999999999999999999999 EiB\"" },
        { OneSnapshot(Region(0, 4096), "\"start_time\": \"1 s 79228162514264337593543950335 ns\", \"end_time\": 100"),
            "mem.json: at $[0].snapshots[0].start_time: expected a time in nanoseconds (number or text like \"5 ms\"), found \"1 s 79228162514264337593543950335 ns\"" },
        { OneSnapshot(Region(0, 4096), "\"start_time\": \"9999999999999999999999999 d\", \"end_time\": 100"),
            "mem.json: at $[0].snapshots[0].start_time: expected a time in nanoseconds (number or text like \"5 ms\"), found \"9999999999999999999999999 d\"" },
        { """[{"intervals": {"sample_us": 0, "aggr_us": -100000, "ops_update_us": 1000000}, "snapshots": []}]""",
            "mem.json: at $[0].intervals: expected non-negative sample_us and aggr_us, found 0 and -100000" },
        { """[{"intervals": {"sample_us": 5000, "aggr_us": 100000, "ops_update_us": -1}, "snapshots": []}]""",
            "mem.json: at $[0].intervals.ops_update_us: expected a non-negative value, found -1" },
        { """[{"snapshots": [{"start_time": 0, "end_time": 1, "regions": [], "damos_stats": {"nr_tried": -1, "sz_tried": 0, "nr_applied": 0, "sz_applied": 0, "sz_ops_filter_passed": 0, "qt_exceeds": 0}}]}]""",
            "mem.json: at $[0].snapshots[0].damos_stats.nr_tried: expected a non-negative value, found -1" },
        { "[{\"data_source\": \"\\ud800\", \"snapshots\": []}]",
            "mem.json: at byte 17: expected a string without a \\u escape that is not valid UTF-16 (a lone surrogate such as \\ud800)" },
        { "[{\"\\udc00x\": 1, \"snapshots\": []}]",
            "mem.json: at byte 2: expected a string without a \\u escape that is not valid UTF-16 (a lone surrogate such as \\ud800)" },
        { new string('[', 100_000),
            "mem.json: at byte 256: expected well-formed JSON (The maximum configured depth of 256 has been exceeded. Cannot read next JSON array)" },
    };

    [Theory]
    [MemberData(nameof(ImpossibleValues))]
    public void Impossible_values_are_rejected_with_their_json_path(string json, string message) =>
        Assert.Equal(message, ParseJsonFails(json).Message);

    [Fact]
    public void Syntax_error_quoting_several_lines_of_input_stays_on_one_line()
    {
        // System.Text.Json quotes the bad literal, here with the newlines that follow it.
        var e = ParseJsonFails("[{\"snapshots\": [nul\n  {\"start_time\": 0},\n  {}]}]");
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("mem.json: at byte 19: expected well-formed JSON ('nul\\n  {\"start_time\"", e.Message);
    }

    [Fact]
    public void Invalid_utf8_names_its_byte()
    {
        var bytes = Encoding.UTF8.GetBytes("[{\"data_source\": \"ab\", \"snapshots\": []}]");
        bytes[20] = 0xff;
        var e = Assert.Throws<RecordFormatException>(() => RecordFiles.Parse(bytes, "mem.json"));
        Assert.Equal("mem.json: at byte 20: expected UTF-8 encoded JSON text", e.Message);
    }

    [Fact]
    public void Unsorted_but_disjoint_regions_are_read_as_damo_adjust_writes_them()
    {
        var records = RecordFiles.Parse(Encoding.UTF8.GetBytes(OneSnapshot(Region(0, 4096) + ", " + Region(8192, 12288) + ", " + Region(4096, 8192))), "mem.json");
        Assert.Equal([0L, 8192, 4096], records[0].Snapshots[0].Regions.Select(r => r.Start));
    }

    [Fact]
    public void Damo_fake_snapshot_kept_in_json_is_still_read()
    {
        // damo's set_first_snapshot_start_time stops at a one-snapshot record, so a later
        // record's placeholder (0-0, nr_accesses -1, age -1) can survive a conversion to JSON.
        var json = OneSnapshot("""{"start": 0, "end": 0, "nr_accesses": {"samples": -1}, "age": {"aggr_intervals": -1}}""");
        Assert.Single(RecordFiles.Parse(Encoding.UTF8.GetBytes(json), "mem.json")[0].Snapshots);
    }

    [Fact]
    public void Top_level_object_instead_of_list_is_rejected()
    {
        var e = ParseJsonFails("""{"kdamonds": []}""");
        Assert.Equal("$", e.Location);
        Assert.Contains("list of records", e.Expected);
    }

    [Fact]
    public void Perf_script_cut_inside_a_line_names_the_line()
    {
        using var dir = new TempDir();
        var path = dir.File("perf.txt");
        var lines = File.ReadLines(DamoReportData.Input("perf.data.script")).Take(20).ToList();
        lines[^1] = lines[^1][..(lines[^1].IndexOf('-', lines[^1].IndexOf("nr_regions", StringComparison.Ordinal)) + 3)];
        File.WriteAllText(path, string.Join("\n", lines));
        var e = ReadFails(path);
        Assert.StartsWith("line 20 (byte ", e.Location);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Perf_script_ending_inside_a_snapshot_is_reported_as_truncated()
    {
        using var dir = new TempDir();
        var path = dir.File("perf.txt");
        // The first snapshot has 8 regions; stop after 11 lines, 3 into the second one.
        File.WriteAllLines(path, File.ReadLines(DamoReportData.Input("perf.data.script")).Take(11));
        var e = ReadFails(path);
        Assert.Equal("line 9", e.Location);
        Assert.Contains("truncated", e.Expected);
    }

    [Fact]
    public void Perf_script_with_time_going_backwards_is_rejected()
    {
        using var dir = new TempDir();
        var path = dir.File("perf.txt");
        File.WriteAllText(path,
            "kdamond.0 1 [000] 10.000000: damon:damon_aggregated: target_id=1 nr_regions=1 0-4096: 1 0\n" +
            "kdamond.0 1 [000] 9.000000: damon:damon_aggregated: target_id=1 nr_regions=1 0-4096: 1 0\n");
        var e = ReadFails(path);
        Assert.StartsWith("line 2", e.Location);
        Assert.Contains("time-sorted", e.Expected);
    }

    private const string PerfLine = "kdamond.0 1 [000] {0}: damon:damon_aggregated: target_id=1 nr_regions={1} {2}: {3} 0\n";

    private static string Perf(string time, int nrRegions, string range, int nrAccesses = 1) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, PerfLine, time, nrRegions, range, nrAccesses);

    public static TheoryData<string, string> ImpossiblePerfScripts() => new()
    {
        { Perf("10.000000", 2, "0-8192") + Perf("10.000000", 2, "4096-12288") + Perf("11.000000", 1, "0-4096"),
            "perf.txt: at line 2 (byte 90): expected a region not overlapping [0, 8192) of the same snapshot (line 1 (byte 0)), found [4096, 12288)" },
        { Perf("10.000000", 2, "0-4096") + Perf("10.000000", 2, "8192-8192") + Perf("11.000000", 1, "0-4096"),
            "perf.txt: at line 2 (byte 90): expected a non-empty region, found 8192-8192" },
        { Perf("10.000000", 1, "0-4096", nrAccesses: -3) + Perf("11.000000", 1, "0-4096"),
            "perf.txt: at line 1 (byte 0): expected a non-negative nr_accesses, found -3" },
    };

    [Theory]
    [MemberData(nameof(ImpossiblePerfScripts))]
    public void Impossible_perf_script_regions_are_rejected_with_their_line(string text, string message)
    {
        var e = Assert.Throws<RecordFormatException>(() => RecordFiles.Parse(Encoding.UTF8.GetBytes(text), "perf.txt"));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Perf_script_placeholder_snapshot_is_still_dropped()
    {
        var text = Perf("10.000000", 1, "0-4096") + "kdamond.0 1 [000] 11.000000: damon:damon_aggregated: target_id=1 nr_regions=1 0-0: -1 -1\n";
        var records = RecordFiles.Parse(Encoding.UTF8.GetBytes(text), "perf.txt");
        Assert.Single(records[0].Snapshots);
    }

    [Fact]
    public void Empty_and_binary_files_are_rejected()
    {
        using var dir = new TempDir();
        var empty = dir.File("empty");
        File.WriteAllBytes(empty, []);
        Assert.Contains("empty", ReadFails(empty).Message);
        var binary = dir.File("perf.data");
        File.WriteAllBytes(binary, Encoding.ASCII.GetBytes("PERFILE2").Concat(new byte[] { 0, 1, 2 }).ToArray());
        var e = ReadFails(binary);
        Assert.Equal("byte 8", e.Location);
        Assert.Contains("perf script", e.Expected);
    }

    [Fact]
    public void Zlib_wrapped_garbage_is_reported_as_json_problem_with_offset()
    {
        using var dir = new TempDir();
        var path = dir.File("garbage.data");
        using (var file = File.Create(path))
        using (var zlib = new ZLibStream(file, CompressionLevel.Fastest))
            zlib.Write(Encoding.UTF8.GetBytes("[{\"snapshots\": [}]"));
        var e = ReadFails(path);
        Assert.Matches(@"^byte \d+ of the decompressed JSON$", e.Location);
    }

    [Fact]
    public void Failed_write_leaves_no_partial_file_and_keeps_the_old_one()
    {
        using var dir = new TempDir();
        var path = dir.File("damon.data");
        File.WriteAllText(path, "old content");
        var record = new DamonRecord { TargetId = 1 };
        record.Snapshots.Add(new DamonSnapshot(0, 100, [new DamonRegion(0, 4096, 1, 0), new DamonRegion { Start = 4096, End = 8192 }]));
        // A region without nr_accesses cannot be written as perf_script: the writer fails midway.
        Assert.Throws<ArgumentException>(() => RecordFiles.Write([record], path, RecordFileFormat.PerfScript));
        Assert.Equal("old content", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    private static RecordFormatException ParseJsonFails(string json) =>
        Assert.Throws<RecordFormatException>(() => RecordFiles.Parse(Encoding.UTF8.GetBytes(json), "mem.json"));
}
