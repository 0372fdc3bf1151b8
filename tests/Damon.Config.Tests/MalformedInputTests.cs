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
