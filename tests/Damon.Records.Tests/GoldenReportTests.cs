using System.Text;
using Damon.Records.IO;
using Damon.Records.Reports;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>
/// Every expected output damo ships for its report tests must be reproduced byte for byte by the
/// matching damon command (damo's test script lists the commands; see data/README.md).
/// </summary>
public class GoldenReportTests
{
    private static readonly string[] Styles =
        ["recency-percentiles", "temperature-percentiles", "recency-sz-hist", "temperature-sz-hist", "detailed"];

    public static TheoryData<string> ExpectedFiles()
    {
        var data = new TheoryData<string>();
        foreach (var name in DamoReportData.ExpectedNames()) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(ExpectedFiles))]
    public async Task Cli_output_matches_damo_expected_file(string expectedName)
    {
        string actual = await ProduceAsync(expectedName);
        AssertSameBytes(expectedName, actual);
    }

    [Fact]
    public async Task Raw_form_of_the_json_compressed_copy_matches_the_same_expectation()
    {
        var result = await DamonCli.Run("report", "access", "--raw_form", "--input", DamoReportData.Input("damon.data.json_compressed"));
        Assert.Equal(0, result.ExitCode);
        AssertSameBytes("report-raw", result.Out);
    }

    [Fact]
    public void Library_renderers_match_without_the_cli()
    {
        var records = RecordFiles.Read(DamoReportData.Input("damon.data.snapshot.nofilter"));
        AssertSameBytes("report-detailed-nofilter", AccessReport.Render(records, new AccessReportOptions()));
        var raw = RecordFiles.Read(DamoReportData.Input("perf.data.script"));
        AssertSameBytes("report-raw_perf_script", AccessRawReport.Render(raw, rawNumber: false));
    }

    /// <summary>Runs the damo command that produced the expected file (mapped to damon's identical verbs).</summary>
    internal static async Task<string> ProduceAsync(string expectedName)
    {
        string data = DamoReportData.Input("damon.data");
        switch (expectedName)
        {
            case "report-raw": return await Stdout("report", "access", "--raw_form", "--input", data);
            case "report-raw_perf_script": return await Stdout("report", "access", "--raw_form", "--input", DamoReportData.Input("perf.data.script"));
            case "report-wss": return await Stdout("report", "wss", "-r", "1", "101", "1", "--raw_number", "--input", data);
            case "report-wss_worktime_1s":
                return await Stdout("report", "wss", "-r", "1", "101", "1", "--work_time", "1000000", "--raw_number", "--input", data);
            case "report-nr_regions": return await Stdout("report", "nr_regions", "-r", "1", "101", "1", "--input", data);
            case "report-heats_guide": return await Stdout("report", "heatmap", "--guide", "--input", data);
            case "report-heats": return await Stdout("report", "heatmap", "--output", "raw", "--input", data);
            case "report-aggr_1s_raw": return await AdjustThenRaw(data);
            case "report-aggr_1s_raw_skip_30": return await AdjustThenRaw(data, "--skip", "30");
        }
        foreach (var style in Styles)
        {
            string prefix = $"report-{style}-";
            if (expectedName.StartsWith(prefix, StringComparison.Ordinal))
            {
                string filter = expectedName[prefix.Length..];
                return await Stdout("report", "access", "--input", DamoReportData.Input("damon.data.snapshot." + filter), "--style", style);
            }
        }
        throw new Xunit.Sdk.XunitException($"no damon command is known for the expected file '{expectedName}'; add its damo command here");
    }

    private static async Task<string> AdjustThenRaw(string input, params string[] extra)
    {
        using var dir = new TempDir();
        string adjusted = Path.Combine(dir.Path, "damon.adjusted.data");
        var adjust = await DamonCli.Run(["adjust", "--aggregate_interval", "1000000", "--input", input, "--output", adjusted, .. extra]);
        Assert.True(adjust.ExitCode == 0, adjust.Err);
        return await Stdout("report", "access", "--raw_form", "--input", adjusted);
    }

    private static async Task<string> Stdout(params string[] args)
    {
        var result = await DamonCli.Run(args);
        Assert.True(result.ExitCode == 0, $"damon {string.Join(' ', args)} failed with {result.ExitCode}: {result.Err}");
        Assert.Equal("", result.Err);
        return result.Out;
    }

    internal static void AssertSameBytes(string expectedName, string actual)
    {
        byte[] expected = File.ReadAllBytes(DamoReportData.Expected(expectedName));
        byte[] actualBytes = new UTF8Encoding(false).GetBytes(actual);
        if (expected.AsSpan().SequenceEqual(actualBytes)) return;
        int i = 0;
        while (i < expected.Length && i < actualBytes.Length && expected[i] == actualBytes[i]) i++;
        string Context(byte[] b) => Encoding.UTF8.GetString(b, Math.Max(0, i - 80), Math.Min(b.Length, i + 80) - Math.Max(0, i - 80));
        Assert.Fail($"{expectedName}: first difference at byte {i} (expected {expected.Length} bytes, got {actualBytes.Length})\n" +
                    $"--- expected around it:\n{Context(expected)}\n--- actual around it:\n{Context(actualBytes)}");
    }
}
