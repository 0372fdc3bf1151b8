using Xunit;

namespace Damon.Fuzz.Tests;

/// <summary>Damaged damon-tier parameter files given to `bench tiering`.</summary>
public class TierParamsFuzzTests
{
    private const int Cases = 30;

    /// <summary>
    /// A file that still reads starts a whole bench scenario (about ten seconds here), so the case
    /// stops it: what matters is that the file was read, or refused, cleanly.
    /// </summary>
    private static readonly TimeSpan StopAfter = TimeSpan.FromSeconds(2);

    [Fact]
    public Task TierParams() => FuzzSuite.Run("tier-params", 0x71E, Cases, c =>
    {
        bool yaml = c.Random.Next(2) == 0;
        byte[] seed = yaml ? File.ReadAllBytes(SeedInputs.TierYaml) : SeedInputs.TierJson();
        var (bytes, what) = Mutator.Mutate(seed, c.Random, yaml ? Syntax.Yaml : Syntax.Json);
        string input = c.Write(yaml ? "tier.yaml" : "tier.json", bytes);
        string json = c.PathOf("bench.json");
        return new FuzzCase($"configs/damon-tier.yaml{(yaml ? "" : " as JSON")}: {what}",
            ["bench", "tiering", "--scenario", "pressure-0", "--policy", "damon-tier", "--quiet", "--tier_params", input, "--json", json])
        { Input = input, Outputs = [json], StopAfter = StopAfter };
    });
}
