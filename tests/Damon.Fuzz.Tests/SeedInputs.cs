using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Damon.Fuzz.Tests;

/// <summary>
/// The valid inputs the cases start from: real recordings and configs from the shared data, the
/// repository's goldens and configs, and documents the CLI itself writes.
/// </summary>
internal static partial class SeedInputs
{
    public static string DamoReport(string name) => RepoPaths.SharedData("damo-report", name);

    /// <summary>The json_compressed recordings: damo's full record and its snapshot files.</summary>
    public static readonly string[] CompressedRecords =
    [
        "damon.data", "damon.data.json_compressed", "damon.data.snapshot.active", "damon.data.snapshot.anon",
        "damon.data.snapshot.nofilter", "damon.data.snapshot.hugepage", "damon.data.snapshot.unmapped",
    ];

    public static byte[] Inflate(byte[] compressed)
    {
        using var z = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var json = new MemoryStream();
        z.CopyTo(json);
        return json.ToArray();
    }

    public static byte[] Deflate(byte[] json)
    {
        using var packed = new MemoryStream();
        using (var z = new ZLibStream(packed, CompressionLevel.Fastest))
            z.Write(json);
        return packed.ToArray();
    }

    private static readonly Lazy<byte[]> PerfScriptHead = new(() =>
    {
        // The whole file is 1.5 MB; its first few hundred lines hold several snapshots of every
        // target. Cut at a snapshot's end (each line says how many regions its snapshot has), so
        // the seed itself is valid.
        var lines = new List<string>();
        int left = 0;
        foreach (var line in File.ReadLines(DamoReport("perf.data.script")))
        {
            if (left == 0)
            {
                if (lines.Count >= 600) break;
                left = int.Parse(NrRegions().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            lines.Add(line);
            left--;
        }
        return Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
    });

    public static byte[] PerfScript() => PerfScriptHead.Value;

    public static string[] KdamondsGoldens(string ext) =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root(), "tests", "Damon.Config.Tests", "Golden"), "*." + ext)
            .Order(StringComparer.Ordinal).ToArray();

    public static string TierYaml => Path.Combine(RepoPaths.Root(), "configs", "damon-tier.yaml");

    /// <summary>configs/damon-tier.yaml as a flat JSON object, the modules' other file form.</summary>
    public static byte[] TierJson()
    {
        var pairs = File.ReadLines(TierYaml)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(':', 2))
            .Select(kv => $"  \"{kv[0].Trim()}\": {kv[1].Trim()}");
        return Encoding.UTF8.GetBytes("{\n" + string.Join(",\n", pairs) + "\n}\n");
    }

    /// <summary>The example machine file in docs/simulator.md, so the seed follows the documentation.</summary>
    public static byte[] MachineJson()
    {
        string doc = File.ReadAllText(Path.Combine(RepoPaths.Root(), "docs", "simulator.md"));
        var m = JsonBlock().Match(doc[doc.IndexOf("### Machine file", StringComparison.Ordinal)..]);
        return Encoding.UTF8.GetBytes(m.Groups[1].Value);
    }

    public static string[] MasimConfigs() =>
        Directory.GetFiles(RepoPaths.SharedData("masim"), "*.cfg").Order(StringComparer.Ordinal).ToArray();

    /// <summary>Real valgrind lackey output, kept with the simulator's tests.</summary>
    public static string Lackey => Path.Combine(RepoPaths.Root(), "tests", "Damon.Sim.Tests", "Traces", "Fixtures", "mini.lackey");

    private static readonly Lazy<byte[]> TraceBytes = new(() =>
    {
        using var dir = new TempDir();
        string path = dir.File("mini.dtrace");
        Damon.Sim.Traces.Lackey.LackeyConverter.Convert(Lackey, path);
        return File.ReadAllBytes(path);
    });

    /// <summary>The lackey fixture converted to Damon's binary trace format.</summary>
    public static byte[] Trace() => TraceBytes.Value;

    private static readonly Lazy<Task<(byte[] Json, byte[] Yaml)>> StatusDocs = new(async () =>
    {
        string[] run = ["sim", "--workload", "gups:size=16M", "--duration", "0.3", "--damos_action", "stat", "--report_damon"];
        var json = await DamonCli.Run([.. run, "--format", "json"]);
        var yaml = await DamonCli.Run([.. run, "--format", "yaml"]);
        if (json.ExitCode != 0 || yaml.ExitCode != 0)
            throw new InvalidOperationException($"cannot make the status seeds: {json.Err}{yaml.Err}");
        return (Encoding.UTF8.GetBytes(json.Out), Encoding.UTF8.GetBytes(yaml.Out));
    });

    /// <summary>A kdamonds status document as `sim --report_damon --format json|yaml` prints it.</summary>
    public static Task<(byte[] Json, byte[] Yaml)> Status() => StatusDocs.Value;

    [GeneratedRegex(@"nr_regions=(\d+)")]
    private static partial Regex NrRegions();

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
