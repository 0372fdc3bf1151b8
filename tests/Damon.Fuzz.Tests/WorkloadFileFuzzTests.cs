using Xunit;

namespace Damon.Fuzz.Tests;

/// <summary>
/// Damaged workload files: masim configs, Damon binary traces and valgrind lackey output, each
/// named by a --workload spec and run for a short simulated time.
/// </summary>
public class WorkloadFileFuzzTests
{
    private const int Cases = 60;

    private static FuzzCase Run(CaseContext c, string spec, string input, string mutation)
    {
        string data = c.PathOf("rec.data");
        return c.Random.Next(5) == 0
            ? new FuzzCase(mutation, ["record", "--workload", spec, .. ShortRun.Duration, "--out", data]) { Input = input, Outputs = [data] }
            : new FuzzCase(mutation, ["sim", "--workload", spec, .. ShortRun.Duration]) { Input = input };
    }

    [Fact]
    public Task Masim() => FuzzSuite.Run("masim", 0x3A5, Cases, c =>
    {
        string seed = c.Pick(SeedInputs.MasimConfigs());
        var (bytes, what) = Mutator.Mutate(File.ReadAllBytes(seed), c.Random, Syntax.Lines);
        string input = c.Write("workload.cfg", bytes);
        string keys = c.Pick(["", ",repeat=2", ",accesses=1", ",hugetlb=true"]);
        return Run(c, $"masim:{input}{keys}", input, $"masim/{Path.GetFileName(seed)}: {what}");
    });

    [Fact]
    public Task Trace() => FuzzSuite.Run("trace", 0x7DC, Cases, c =>
    {
        var (bytes, what) = Mutator.Mutate(SeedInputs.Trace(), c.Random, Syntax.Binary);
        string input = c.Write("prog.dtrace", bytes);
        return Run(c, $"trace:{input}", input, $"mini.lackey converted to a trace: {what}");
    });

    [Fact]
    public Task Lackey() => FuzzSuite.Run("lackey", 0x1AC, Cases, c =>
    {
        var (bytes, what) = Mutator.Mutate(File.ReadAllBytes(SeedInputs.Lackey), c.Random, Syntax.Lines);
        string input = c.Write("prog.lackey", bytes);
        string keys = c.Pick(["", ",fetches=true", ",fetches=true,nsperinstr=0.5"]);
        return Run(c, $"lackey:{input}{keys}", input, $"tests/Damon.Sim.Tests/Traces/Fixtures/mini.lackey: {what}");
    });
}
