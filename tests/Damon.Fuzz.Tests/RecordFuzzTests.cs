using Xunit;

namespace Damon.Fuzz.Tests;

/// <summary>Damaged record files of every format, read by every verb that reads records.</summary>
public class RecordFuzzTests
{
    private const int Cases = 60;

    /// <summary>A reading verb: the command line for an input in a case folder, and what it may write.</summary>
    private delegate FuzzCase Reader(CaseContext c, string input);

    private static readonly Reader[] Readers =
    [
        (c, f) => new("", ["report", "access", "--input", f]),
        (c, f) => new("", ["report", "access", "--input", f, "--style", c.Pick(["temperature-sz-hist", "recency-percentiles", "simple-boxes", "cold"])]),
        (c, f) => new("", ["report", "access", "--input", f, "--raw_form"]),
        (c, f) => new("", ["report", "wss", "--input", f, "--exclude_samples", "0"]),
        (c, f) => new("", ["report", "nr_regions", "--input", f]),
        (c, f) => new("", ["report", "heatmap", "--input", f, "--output", "raw"]),
        (c, f) => new("", ["report", "heatmap", "--input", f, "--guide"]),
        (c, f) => new("", ["report", "heatmap", "--input", f, "--output", c.PathOf("map.svg")]) { Outputs = [c.PathOf("map.svg")] },
        (c, f) => new("", ["report", "record_info", "--input", f]),
        (c, f) => new("", ["adjust", "--input", f, "--output", c.PathOf("adj.data"), "--aggregate_interval", "1000000", "--skip", "0"])
            { Outputs = [c.PathOf("adj.data")] },
        (c, f) => new("", ["convert_record_format", "--record_file", f, "--format", c.Pick(["json", "perf_script", "json_compressed"]),
            "--output_file", c.PathOf("conv.data")]) { Outputs = [c.PathOf("conv.data")] },
    ];

    private static FuzzCase Read(CaseContext c, byte[] damaged, string mutation)
    {
        string input = c.Write("in.data", damaged);
        return c.Pick(Readers)(c, input) with { Mutation = mutation, Input = input };
    }

    // Most cases start from the small snapshot files; the full 543-snapshot record costs more per report.
    private static string PickRecord(CaseContext c) =>
        c.Random.Next(5) == 0 ? c.Pick(SeedInputs.CompressedRecords[..2]) : c.Pick(SeedInputs.CompressedRecords[2..]);

    [Fact]
    public Task JsonCompressed() => FuzzSuite.Run("record-json_compressed", 0x0C0, Cases, c =>
    {
        string seed = PickRecord(c);
        byte[] compressed = File.ReadAllBytes(SeedInputs.DamoReport(seed));
        if (c.Random.Next(3) == 0)
        {
            var (bytes, what) = Mutator.Mutate(compressed, c.Random, Syntax.Binary);
            return Read(c, bytes, $"{seed} (compressed bytes): {what}");
        }
        // Damage under the compression, so the JSON reader sees it.
        var (json, jsonWhat) = Mutator.Mutate(SeedInputs.Inflate(compressed), c.Random, Syntax.Json);
        return Read(c, SeedInputs.Deflate(json), $"{seed} (JSON inside the zlib stream): {jsonWhat}");
    });

    [Fact]
    public Task Json() => FuzzSuite.Run("record-json", 0x150, Cases, c =>
    {
        string seed = PickRecord(c);
        var (bytes, what) = Mutator.Mutate(SeedInputs.Inflate(File.ReadAllBytes(SeedInputs.DamoReport(seed))), c.Random, Syntax.Json);
        return Read(c, bytes, $"{seed} decompressed: {what}");
    });

    [Fact]
    public Task PerfScript() => FuzzSuite.Run("record-perf_script", 0x9E5, Cases, c =>
    {
        var (bytes, what) = Mutator.Mutate(SeedInputs.PerfScript(), c.Random, Syntax.Lines);
        return Read(c, bytes, $"perf.data.script (its first 600-odd lines): {what}");
    });
}
