using Xunit;

namespace Damon.Fuzz.Tests;

/// <summary>Damaged machine files (docs/simulator.md's example), through topology, numastat and sim.</summary>
public class MachineFuzzTests
{
    private const int Cases = 60;

    [Fact]
    public Task MachineFiles() => FuzzSuite.Run("machine", 0x3AC, Cases, c =>
    {
        var (bytes, what) = Mutator.Mutate(SeedInputs.MachineJson(), c.Random, Syntax.Json);
        string input = c.Write("machine.json", bytes);
        string mutation = $"docs/simulator.md's machine file: {what}";
        string json = c.PathOf("out.json");
        return c.Random.Next(6) switch
        {
            0 => new FuzzCase(mutation, ["sim", "--machine", input, .. ShortRun.Args]) { Input = input },
            1 => new FuzzCase(mutation, ["numastat", "--machine", input, .. ShortRun.Args, "--json", json]) { Input = input, Outputs = [json] },
            2 => new FuzzCase(mutation, ["topology", "--machine", input]) { Input = input },
            _ => new FuzzCase(mutation, ["topology", "--machine", input, "--json", json]) { Input = input, Outputs = [json] },
        };
    });
}
