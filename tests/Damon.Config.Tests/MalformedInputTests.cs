using System.Text;
using Damon.Config.Engine;
using Damon.Config.Io;
using Xunit;

namespace Damon.Config.Tests;

/// <summary>Bad input of any shape ends in a <see cref="ConfigException"/>, never another exception.</summary>
public class MalformedInputTests
{
    [Fact]
    public void RepeatedJsonKeyKeepsTheLastValueLikePython()
    {
        var spec = KdamondsJson.Read("""{"kdamonds": [{"refresh_ms": 1, "refresh_ms": 2, "contexts": []}]}""");
        Assert.Equal(2UL, spec.Kdamonds[0].RefreshMs);
    }

    [Theory]
    [InlineData("", "e.json: line 1, column 1: not valid JSON")]
    [InlineData("[1", "e.json: line 1, column 3: not valid JSON")]
    [InlineData("{\"kdamonds\": [{\"refresh_ms\": 1e400}]}", "e.json: kdamonds[0].refresh_ms: 1e400 is not a time (milliseconds)")]
    public void JsonOddities(string text, string expectedStart)
    {
        var e = Assert.Throws<ConfigException>(() => KdamondsJson.Read(text, "e.json"));
        Assert.StartsWith(expectedStart, e.Message);
    }

    [Theory]
    [InlineData("kdamonds: &a\n- contexts: *a\n", "y.yaml: line 1: nested more than 64 levels deep")]
    [InlineData("kdamonds:\n- contexts: []\n  contexts: []\n", "y.yaml: line 3, column 3: not valid YAML (Duplicate key contexts)")]
    [InlineData("", "y.yaml: empty YAML document")]
    [InlineData("- just\n- a list of words\n", "y.yaml: kdamonds[0]: expected an object, found \"just\"")]
    public void YamlOddities(string text, string expectedStart)
    {
        var e = Assert.Throws<ConfigException>(() => KdamondsYaml.Read(text, "y.yaml"));
        Assert.StartsWith(expectedStart, e.Message);
    }

    private const string EscapeRule = "a \\u escape that is not valid UTF-16 (a lone surrogate such as \\ud800)";

    [Theory]
    [InlineData("{\"kdamonds\": [{\"\\ud800\": 1}]}", "e.json: line 1, column 16: not valid JSON (" + EscapeRule + ")")]
    [InlineData("{\"kdamonds\": [{\"state\":\n \"x\\udc00\"}]}", "e.json: line 2, column 2: not valid JSON (" + EscapeRule + ")")]
    public void LoneSurrogateEscapesNameTheirPosition(string text, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => KdamondsJson.Read(text, "e.json"));
        Assert.Equal(expected, e.Message);
    }

    public static TheoryData<string, string> TooDeepYaml() => new()
    {
        // Each of these overflowed YamlDotNet's recursion (a crash, not an exception) before the check.
        { new string('[', 100_000), "y.yaml: line 1: nested more than 512 levels deep (counting indentation, brackets and '- ' entries)" },
        { string.Concat(Enumerable.Repeat("- ", 50_000)) + "x\n", "y.yaml: line 1: nested more than 512 levels deep (counting indentation, brackets and '- ' entries)" },
        { string.Concat(Enumerable.Repeat("{a: ", 50_000)) + "x\n", "y.yaml: line 1: nested more than 512 levels deep (counting indentation, brackets and '- ' entries)" },
        { string.Concat(Enumerable.Range(0, 20_000).Select(i => new string(' ', i) + "a:\n")), "y.yaml: line 513: nested more than 512 levels deep (counting indentation, brackets and '- ' entries)" },
    };

    [Theory]
    [MemberData(nameof(TooDeepYaml))]
    public void DeepYamlIsRefusedBeforeParsing(string text, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => KdamondsYaml.Read(text, "y.yaml"));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void BracketsInsideQuotesAndCommentsDoNotCountAsNesting()
    {
        var text = "# " + new string('[', 600) + "\nkdamonds:\n- state: '" + new string('{', 600) + "'\n  pid: \"" + new string('[', 600) + "\"\n";
        Assert.Null(Damon.Shared.YamlDepthCheck.FirstTooDeepLine(text));
    }

    [Theory]
    [InlineData("18446744073709551617", "e.json: kdamonds[0].contexts[0].targets[0].regions[0].end: 18446744073709551617 is not a size")]
    [InlineData("\"99999999999999999999999999 EiB\"", "e.json: kdamonds[0].contexts[0].targets[0].regions[0].end: \"99999999999999999999999999 EiB\" is not a size")]
    public void RegionEndAbove64BitsIsRefusedNotSaturated(string end, string expected)
    {
        var text = "{\"kdamonds\": [{\"contexts\": [{\"ops\": \"paddr\", \"targets\": [{\"regions\": [{\"start\": 0, \"end\": " + end + "}]}]}]}]}";
        var e = Assert.Throws<ConfigException>(() => KdamondsJson.Read(text, "e.json"));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void DeepJsonIsRefusedWithTheDepth()
    {
        var e = Assert.Throws<ConfigException>(() => KdamondsJson.Read(new string('[', 100_000), "e.json"));
        Assert.Equal("e.json: line 1, column 65: not valid JSON (The maximum configured depth of 64 has been exceeded. Cannot read next JSON array)", e.Message);
    }

    [Theory]
    [InlineData("k.json", "{\"kdamonds\": [{\"state\": \"o\xffn\"}]}")]
    [InlineData("k.yaml", "kdamonds:\n- state: o\xffn\n")]
    public void InvalidUtf8FilesNameTheByte(string name, string latin1)
    {
        using var dir = new Damon.Tests.TempDir();
        var path = dir.File(name);
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes(latin1));
        int at = latin1.IndexOf('\xff');
        var e = Assert.Throws<ConfigException>(() => KdamondsFile.Load(path));
        var (line, column) = name.EndsWith(".json") ? (1, at + 1) : (2, at - latin1.IndexOf('\n') );
        Assert.Equal($"{path}: line {line}, column {column} (byte {at}): not UTF-8 text (byte 0xff)", e.Message);
    }

    private const string Noise = "{}[]:,\"'-0129xX %&*!|>\n ";

    /// <summary>Random edits of valid documents: truncation, deleted, duplicated or replaced characters.</summary>
    private static string Mutate(string text, Random r)
    {
        var sb = new StringBuilder(text);
        int edits = r.Next(1, 4);
        for (int i = 0; i < edits && sb.Length > 0; i++)
        {
            int at = r.Next(sb.Length);
            switch (r.Next(4))
            {
                case 0: sb.Length = at; break;
                case 1: sb.Remove(at, 1); break;
                case 2: sb.Insert(at, sb[r.Next(sb.Length)]); break;
                default: sb[at] = Noise[r.Next(Noise.Length)]; break;
            }
        }
        return sb.ToString();
    }

    [Theory]
    [InlineData("mem_tier.json", false)]
    [InlineData("filters.json", false)]
    [InlineData("goals.yaml", true)]
    [InlineData("dests.yaml", true)]
    public void MutatedDocumentsFailCleanly(string golden, bool yaml)
    {
        var text = Golden.Read(golden);
        var r = new Random(golden.Length);
        int parsed = 0;
        for (int i = 0; i < 400; i++)
        {
            var mutated = Mutate(text, r);
            Schema.KdamondsSpec spec;
            try
            {
                spec = yaml ? KdamondsYaml.Read(mutated, golden) : KdamondsJson.Read(mutated, golden);
            }
            catch (ConfigException e)
            {
                Assert.StartsWith(golden + ": ", e.Message);
                continue;
            }
            try
            {
                ContextMapping.ToEngine(spec);
                parsed++;
            }
            catch (ConfigException e)
            {
                // The engine does not know the file; the path still says where.
                Assert.Matches(@"^kdamonds\[\d+\]\.contexts\[\d+\]", e.Message);
            }
        }
        // Some edits (inside a string, a blank) leave a valid document: both paths were exercised.
        Assert.InRange(parsed, 1, 399);
    }
}
