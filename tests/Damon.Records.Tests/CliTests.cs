using Damon.Cli;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>User mistakes end as one "damon: ..." line and an exit code, never a stack trace.</summary>
public class CliTests
{
    [Fact]
    public async Task Truncated_record_is_an_input_error_naming_file_and_offset()
    {
        using var dir = new TempDir();
        var path = dir.File("cut.data");
        File.WriteAllBytes(path, File.ReadAllBytes(DamoReportData.Input("damon.data"))[..1000]);
        var result = await DamonCli.Run("report", "access", "--raw_form", "--input", path);
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Matches(@"^damon: .*cut\.data: at byte \d+[^:]*: expected .+\n$", result.Err);
        Assert.DoesNotContain("   at ", result.Err);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Record_info_with_raw_numbers_is_the_heatmap_guide()
    {
        // damo prints both with the same guide code; its expected guide output applies to both.
        var result = await DamonCli.Run("report", "record_info", "--raw_numbers", "--input", DamoReportData.Input("damon.data"));
        Assert.Equal(0, result.ExitCode);
        GoldenReportTests.AssertSameBytes("report-heats_guide", result.Out);
    }

    [Fact]
    public async Task Missing_file_is_an_input_error()
    {
        var result = await DamonCli.Run("report", "wss", "--input", "/nonexistent/damon.data");
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Equal("damon: /nonexistent/damon.data: record file not found\n", result.Err);
    }

    [Fact]
    public async Task Styled_access_report_on_a_record_without_intervals_says_why()
    {
        string input = DamoReportData.Input("damon.data");
        var result = await DamonCli.Run("report", "access", "--input", input);
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Equal($"damon: {input}: some records lack the intervals information\n", result.Err);
    }

    [Fact]
    public async Task Unsupported_heatmap_image_type_is_refused()
    {
        using var dir = new TempDir();
        var result = await DamonCli.Run("report", "heatmap", "--input", DamoReportData.Input("damon.data"), "--output", dir.File("map.pdf"));
        Assert.Equal(ExitCodes.UsageError, result.ExitCode); // a bad --output value is a command-line mistake
        Assert.Contains(".png or .svg", result.Err);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Heatmap_images_are_written_for_png_and_svg()
    {
        using var dir = new TempDir();
        foreach (var name in new[] { "map.png", "map.svg" })
        {
            var result = await DamonCli.Run("report", "heatmap", "--input", DamoReportData.Input("damon.data"), "--output", dir.File(name), "--resol", "50", "60");
            Assert.True(result.ExitCode == 0, result.Err);
            Assert.True(new FileInfo(dir.File(name)).Length > 100);
        }
        var all = await DamonCli.Run("report", "heatmap", "--input", DamoReportData.Input("damon.data"), "--output", dir.File("all.png"),
            "--resol", "10", "10", "--draw_range", "all");
        Assert.Equal(0, all.ExitCode);
        Assert.True(File.Exists(dir.File("all.png")) && File.Exists(dir.File("all.1.png")) && File.Exists(dir.File("all.2.png")));
    }

    [Fact]
    public async Task Adjust_writes_with_the_requested_permission_and_format()
    {
        using var dir = new TempDir();
        var output = dir.File("adjusted.json");
        var result = await DamonCli.Run("adjust", "--input", DamoReportData.Input("damon.data"), "--output", output,
            "--aggregate_interval", "1000000", "--output_type", "json", "--output_permission", "640");
        Assert.True(result.ExitCode == 0, result.Err);
        Assert.StartsWith("[", File.ReadAllText(output));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(output));
        var bad = await DamonCli.Run("adjust", "--input", DamoReportData.Input("damon.data"), "--output", output, "--output_permission", "999");
        Assert.Equal(ExitCodes.UsageError, bad.ExitCode);
    }

    [Fact]
    public async Task Convert_record_format_round_trips_through_the_cli()
    {
        using var dir = new TempDir();
        var script = dir.File("damon.perf");
        var result = await DamonCli.Run("convert_record_format", "--record_file", DamoReportData.Input("perf.data.script"),
            "--format", "json", "--output_file", script);
        Assert.True(result.ExitCode == 0, result.Err);
        var raw = await DamonCli.Run("report", "access", "--raw_form", "--input", script);
        GoldenReportTests.AssertSameBytes("report-raw_perf_script", raw.Out);
    }
}
