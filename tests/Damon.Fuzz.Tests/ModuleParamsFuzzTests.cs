using Xunit;

namespace Damon.Fuzz.Tests;

/// <summary>Damaged module parameter files, given at start (--module_params) or mid-run (--module_commit).</summary>
public class ModuleParamsFuzzTests
{
    private const int Cases = 50;

    private static FuzzCase Make(CaseContext c)
    {
        bool yaml = c.Random.Next(2) == 0;
        byte[] seed = yaml ? File.ReadAllBytes(SeedInputs.TierYaml) : SeedInputs.TierJson();
        var (bytes, what) = Mutator.Mutate(seed, c.Random, yaml ? Syntax.Yaml : Syntax.Json);
        string input = c.Write(yaml ? "params.yaml" : "params.json", bytes);
        string mutation = $"configs/damon-tier.yaml{(yaml ? "" : " as JSON")}: {what}";
        // Most cases give the file to damon_tier; some to another module (other parameter names),
        // some as a commit during the run, read after the start's own parameters.
        return c.Random.Next(6) switch
        {
            0 => new FuzzCase(mutation, ["sim", "--module", c.Pick(["damon_reclaim", "damon_lru_sort"]), "--module_params", input, .. ShortRun.Args]) { Input = input },
            1 => new FuzzCase(mutation, ["sim", "--module", "damon_tier", "--module_params", SeedInputs.TierYaml,
                "--module_commit", $"0.02:{input}", .. ShortRun.Args]) { Input = input },
            _ => new FuzzCase(mutation, ["sim", "--module", "damon_tier", "--module_params", input, .. ShortRun.Args]) { Input = input },
        };
    }

    [Fact]
    public Task DamonTierParams() => FuzzSuite.Run("module-params", 0x70D, Cases, Make);
}
