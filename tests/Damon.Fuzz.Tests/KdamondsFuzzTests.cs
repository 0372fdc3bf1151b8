using Xunit;

namespace Damon.Fuzz.Tests;

/// <summary>Damaged kdamonds files (damo's JSON and YAML), through `args` and, for a few, `sim`.</summary>
public class KdamondsFuzzTests
{
    private const int Cases = 60;

    private static FuzzCase Make(CaseContext c, string ext, Syntax syntax)
    {
        string seed = c.Pick(SeedInputs.KdamondsGoldens(ext));
        var (bytes, what) = Mutator.Mutate(File.ReadAllBytes(seed), c.Random, syntax);
        string input = c.Write("kdamonds." + ext, bytes);
        string mutation = $"{Path.GetFileName(seed)}: {what}";
        string out_ = c.PathOf("out." + c.Pick(["json", "yaml"]));
        // One case in eight starts the engine on the file; the rest only read and print it.
        return c.Random.Next(8) switch
        {
            0 => new FuzzCase(mutation, ["sim", "--kdamonds", input, .. ShortRun.Args]) { Input = input },
            1 => new FuzzCase(mutation, ["args", "--kdamonds", input, "--format", "report"]) { Input = input },
            2 => new FuzzCase(mutation, ["args", "--kdamonds", input, "--format", "yaml", "--raw"]) { Input = input },
            _ => new FuzzCase(mutation, ["args", "--kdamonds", input, "--out", out_]) { Input = input, Outputs = [out_] },
        };
    }

    [Fact]
    public Task Json() => FuzzSuite.Run("kdamonds-json", 0x4D1, Cases, c => Make(c, "json", Syntax.Json));

    [Fact]
    public Task Yaml() => FuzzSuite.Run("kdamonds-yaml", 0x4D2, Cases, c => Make(c, "yaml", Syntax.Yaml));
}
