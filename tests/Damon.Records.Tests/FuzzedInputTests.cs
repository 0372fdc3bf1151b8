using System.IO.Compression;
using System.Text;
using Damon.Records.IO;
using Damon.Records.Reports;
using Damon.Records.Transforms;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>
/// Damaged files of every format either still parse or fail with <see cref="RecordFormatException"/>
/// naming the file; no other exception type (which the CLI would show as a crash) may escape.
/// </summary>
public class FuzzedInputTests
{
    public static TheoryData<string> Sources() => new() { "json_compressed", "json", "perf_script" };

    [Theory]
    [MemberData(nameof(Sources))]
    public void Damaged_files_fail_only_with_format_errors(string kind)
    {
        byte[] original = Source(kind);
        // string.GetHashCode is randomised per process; the seed must not be.
        var random = new Random(kind.Length);
        int failures = 0;
        for (int i = 0; i < 1000; i++)
        {
            byte[] damaged = Damage(original, random);
            try
            {
                var records = RecordFiles.Parse(damaged, "fuzzed." + kind);
                Assert.NotNull(records);
                ReportsRunOrRefuse(damaged, kind);
            }
            catch (RecordFormatException e)
            {
                failures++;
                Assert.StartsWith("fuzzed." + kind + ": at ", e.Message);
                Assert.Contains(": expected ", e.Message);
            }
        }
        // Most damage must be detected: cut files in particular.
        Assert.True(failures > 500, $"only {failures} of 1000 damaged {kind} files were rejected");
    }

    /// <summary>Whatever still parses must render, or be refused with a <see cref="ReportException"/>.</summary>
    private static void ReportsRunOrRefuse(byte[] damaged, string kind)
    {
        List<Damon.Records.Model.DamonRecord> Fresh() => RecordFiles.Parse(damaged, "fuzzed." + kind);
        Action[] reports =
        [
            () => AccessRawReport.Render(Fresh(), rawNumber: false),
            () => AccessReport.Render(Fresh(), new AccessReportOptions()),
            () => AccessReport.Render(Fresh(), new AccessReportOptions { Style = "recency-percentiles" }),
            () => AccessReport.Render(Fresh(), new AccessReportOptions { Style = "temperature-sz-hist" }),
            () => AccessReport.Render(Fresh(), new AccessReportOptions { Style = "simple-boxes" }),
            () => WssReport.Render(Fresh(), new WssReportOptions()),
            () => NrRegionsReport.Render(Fresh(), null, sortByTime: false),
            () => HeatmapGuide.Render(Fresh(), raw: true),
            () => HeatmapReport.RenderTerminal(Fresh(), new HeatmapOptions { Resolution = (5, 7) }),
            () => RecordAdjuster.Adjust(Fresh(), 1000000, 0),
        ];
        foreach (var report in reports)
        {
            try
            {
                report();
            }
            catch (ReportException)
            {
            }
        }
    }

    private static byte[] Source(string kind)
    {
        byte[] compressed = File.ReadAllBytes(DamoReportData.Input("damon.data.snapshot.active"));
        switch (kind)
        {
            case "json_compressed":
                return compressed;
            case "json":
                using (var z = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress))
                using (var json = new MemoryStream())
                {
                    z.CopyTo(json);
                    return json.ToArray();
                }
            default:
                var lines = File.ReadLines(DamoReportData.Input("perf.data.script")).Take(200);
                return Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        }
    }

    private static byte[] Damage(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(3))
        {
            case 0:
                return bytes[..random.Next(0, bytes.Length - 1)];
            case 1:
                for (int n = random.Next(1, 8); n > 0; n--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            default:
                // Drop a span from the middle.
                int cut = random.Next(bytes.Length - 1);
                int end = Math.Min(bytes.Length, cut + random.Next(1, 40));
                return bytes[..cut].Concat(bytes[end..]).ToArray();
        }
    }
}
