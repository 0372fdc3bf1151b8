using Xunit;

namespace Damon.Cli.Tests;

/// <summary>Every bad input gets one line on stderr and its documented exit code (docs/cli.md).</summary>
public class ErrorTests
{
    [Fact]
    public async Task AValueWithANewlineIsQuotedOnOneLine()
    {
        // The message quotes the value; its newline must not split the error in two.
        var r = await DamonCli.Run("sim", "--duration", "0.05", "--workload", "gups:size=1\n2");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("damon: --workload: gups:size=1\\n2: size='1\\n2' is not a size (e.g. 4096, 64K, 1G)\n", r.Err);
    }

    [Fact]
    public async Task MissingMachineFileIsAnInputError()
    {
        var r = await DamonCli.Run("sim", "--machine", "no-such-machine.json");
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("damon: no-such-machine.json: machine file not found\n", r.Err);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public async Task MalformedMachineFileNamesFileAndLine()
    {
        using var dir = new TempDir();
        var path = dir.File("bad.json");
        File.WriteAllText(path, "{\n  \"nodes\": [\n    { \"id\": 0, \"capacity\": \"1GiB\", \"read_latency_ns\": 0, \"write_latency_ns\": 90, \"bandwidth_gbps\": 10, \"tier\": 0 }\n  ]\n}\n");
        foreach (var verb in new[] { "sim", "topology", "numastat", "record" })
        {
            var r = await DamonCli.Run(verb, "--machine", path);
            Assert.Equal(3, r.ExitCode);
            Assert.Equal($"damon: {path}:3: nodes[0].read_latency_ns: must be > 0\n", r.Err);
        }
    }

    [Fact]
    public async Task BadWorkloadSpecIsAUsageError()
    {
        var r = await DamonCli.Run("sim", "--workload", "nosuch:x=1");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("damon: --workload: nosuch:x=1: unknown workload 'nosuch'", r.Err);
        Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task MissingWorkloadFileIsAnInputError()
    {
        var r = await DamonCli.Run("sim", "--workload", "masim:/no/such/config");
        Assert.Equal(3, r.ExitCode);
        Assert.StartsWith("damon: --workload: /no/such/config", r.Err);
    }

    [Fact]
    public async Task DamoOptionMistakesAreUsageErrors()
    {
        var r = await DamonCli.Run("sim", "--damos_access_rate", "0", "0");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("damon: 'damos_action' not specified while using --damos_* option(s) (--damos_access_rate)\n", r.Err);

        var unknown = await DamonCli.Run("record", "--no_such_option");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal("damon: unrecognized argument: --no_such_option\n", unknown.Err);
    }

    [Fact]
    public async Task EngineRejectionsExitWith4()
    {
        var r = await DamonCli.Run("sim", "--monitoring_nr_regions_range", "100", "10");
        Assert.Equal(4, r.ExitCode);
        Assert.Equal("damon: kdamonds[0].contexts[0]: rejected: min_nr_regions (100): must not exceed max_nr_regions (10)\n", r.Err);
    }

    [Fact]
    public async Task WorkloadTheMachineCannotRunIsRejected()
    {
        var r = await DamonCli.Run("sim", "--workload", "gups:size=64M,cpus=99");
        Assert.Equal(4, r.ExitCode);
        Assert.Equal("damon: simulation: pid 1: CPU 99 does not exist (the machine has CPUs 0..15)\n", r.Err);
    }

    [Fact]
    public async Task BadKdamondsFileIsAnInputError()
    {
        using var dir = new TempDir();
        var path = dir.File("k.json");
        File.WriteAllText(path, """{"kdamonds": [ {"contexts": 3} ]}""");
        var r = await DamonCli.Run("sim", "--kdamonds", path);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal($"damon: {path}: kdamonds[0].contexts: expected a list, found 3\n", r.Err);
    }

    [Theory]
    [InlineData("sim", "--duration", "0", "must be more than 0")]
    [InlineData("sim", "--snapshot_every", "-1", "must not be negative")]
    [InlineData("record", "--flush_interval", "0", "must be more than 0")]
    [InlineData("numastat", "--duration", "-5", "must not be negative")]
    public async Task NonPositiveTimesAreUsageErrors(string verb, string option, string value, string rule)
    {
        var r = await DamonCli.Run(verb, option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"damon: {option} {value}: {rule}\n", r.Err);
    }

    [Fact]
    public async Task UnknownTargetPidIsAUsageError()
    {
        var r = await DamonCli.Run("sim", "--target_pid", "77");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("damon: --target_pid 77: the simulated workload has no such process (its pids: 1)\n", r.Err);
    }

    [Fact]
    public async Task JsonFileNameThatLooksLikeAnOptionIsRefused()
    {
        var r = await DamonCli.Run("sim", "--json", "--ops", "paddr");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("damon: --json --ops: looks like an option", r.Err);
        Assert.False(File.Exists("--ops"));
    }

    [Fact]
    public async Task A_bug_exits_1_with_the_exception_and_its_stack_instead_of_aborting()
    {
        var root = new System.CommandLine.RootCommand("test");
        var boom = new System.CommandLine.Command("boom");
        boom.SetAction(int (System.CommandLine.ParseResult _) => throw new InvalidOperationException("invariant broken"));
        root.Subcommands.Add(boom);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int rc = await CliRunner.RunAsync(root, ["boom"], stdout, stderr);

        Assert.Equal(1, rc);
        Assert.StartsWith("damon: internal error (a bug; please report it): System.InvalidOperationException: invariant broken", stderr.ToString());
        Assert.Contains(" at ", stderr.ToString());
    }
}
