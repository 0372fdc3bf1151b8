using System.Text;
using Xunit;

namespace Damon.Fuzz.Tests;

/// <summary>
/// Changes that keep a record's content (a BOM, CRLF line ends, trailing blank space) must read back
/// to the same record, or be refused: never read as something else, which would lose what was recorded
/// without a word.
/// </summary>
public class RecordEquivalenceTests
{
    private static readonly (string Name, Func<byte[], byte[]> Change)[] Changes =
    [
        ("a UTF-8 BOM prepended", b => [0xEF, 0xBB, 0xBF, .. b]),
        ("CRLF line ends", b => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace("\n", "\r\n"))),
        ("trailing blank lines and spaces", b => [.. b, .. "\n\n  \t\n"u8.ToArray()]),
    ];

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var seed in (string[])["damon.data.snapshot.active", "damon.data.json_compressed", "perf.data.script"])
            for (int i = 0; i < Changes.Length; i++)
                data.Add(seed, i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ReadsTheSameOrRefuses(string seed, int change)
    {
        using var dir = new TempDir();
        byte[] original = seed == "perf.data.script" ? SeedInputs.PerfScript() : SeedInputs.Inflate(File.ReadAllBytes(SeedInputs.DamoReport(seed)));
        string plain = dir.File("plain.data"), changed = dir.File("changed.data");
        File.WriteAllBytes(plain, original);
        File.WriteAllBytes(changed, Changes[change].Change(original));

        var expected = await DamonCli.Run("report", "record_info", "--input", plain, "--raw_numbers");
        var actual = await DamonCli.Run("report", "record_info", "--input", changed, "--raw_numbers");
        Assert.True(expected.ExitCode == 0, $"the unchanged {seed} does not read: {expected.Err}");
        string what = $"{seed} (decompressed) with {Changes[change].Name}";
        if (actual.ExitCode == 3)
            Assert.Matches(@"^damon: [^\n]*changed\.data[^\n]*\n$", actual.Err);
        else
        {
            Assert.True(actual.ExitCode == 0, $"{what}: exit {actual.ExitCode}: {actual.Err}");
            Assert.True(expected.Out == actual.Out,
                $"{what} reads as a different record: {actual.Out.Length} chars of record_info instead of {expected.Out.Length}");
        }
    }
}
