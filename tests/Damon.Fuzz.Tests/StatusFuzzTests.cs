using Xunit;

namespace Damon.Fuzz.Tests;

/// <summary>Damaged kdamonds status documents (what `sim --report_damon` writes), read by `report damon`.</summary>
public class StatusFuzzTests
{
    private const int Cases = 60;

    [Fact]
    public async Task StatusFiles()
    {
        var (json, yaml) = await SeedInputs.Status();
        await FuzzSuite.Run("report-damon", 0x57A, Cases, c =>
        {
            bool isYaml = c.Random.Next(2) == 0;
            var (bytes, what) = Mutator.Mutate(isYaml ? yaml : json, c.Random, isYaml ? Syntax.Yaml : Syntax.Json);
            string input = c.Write(isYaml ? "status.yaml" : "status.json", bytes);
            string[] extra = c.Pick<string[]>([[], ["--format", "json"], ["--format", "yaml"], ["--damon_params"], ["--raw"]]);
            return new FuzzCase($"sim --report_damon --format {(isYaml ? "yaml" : "json")} output: {what}",
                ["report", "damon", "--input", input, .. extra]) { Input = input };
        });
    }
}
