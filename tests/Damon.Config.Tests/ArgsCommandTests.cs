using Damon.Cli;
using Xunit;

namespace Damon.Config.Tests;

/// <summary>`damon args` through the real command tree (Damon.Cli.CliRunner).</summary>
public class ArgsCommandTests
{
    [Fact]
    public async Task ReportMatchesDamo()
    {
        var r = await DamonCli.Run(["args", .. Golden.Args("mem_tier"), "--format", "report"]);
        Assert.Equal((ExitCodes.Ok, ""), (r.ExitCode, r.Err));
        Assert.Equal(Golden.Read("mem_tier.report"), r.Out);
    }

    [Fact]
    public async Task DamoSpellingWithDamonWordAndOptionsInAnyOrder()
    {
        // `damo args damon ...`; --format between damo's options; damo's short options (-r, -s).
        var r = await DamonCli.Run(["args", "damon", "--damos_action", "pageout", "--format", "yaml", "-r", "1G-2G", "--damos_wmarks",
            "free_mem_rate", "5s", "500", "400", "200"]);
        Assert.Equal((ExitCodes.Ok, ""), (r.ExitCode, r.Err));
        Assert.Equal(Golden.Read("wmarks.yaml"), r.Out);
        var p = await DamonCli.Run(["args", "-s", "1000", "-a", "20000", "-u", "500000", "-n", "5", "-m", "500", "-r", "1M-2M"]);
        Assert.Equal(Golden.Read("pinpoint.json"), p.Out);
    }

    [Fact]
    public async Task RawJsonHasNumbers()
    {
        var r = await DamonCli.Run(["args", "--raw", "--damos_action", "stat", "--damos_quotas", "5ms", "4K", "1s", "-r", "0-1G"]);
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Contains("\"sz_bytes\": 4096,", r.Out);
        Assert.Contains("\"time_ms\": 5,", r.Out);
        Assert.Contains("\"end\": 1073741824", r.Out);
    }

    [Fact]
    public async Task OutFileThenKdamondsFile()
    {
        using var dir = new TempDir();
        var file = dir.File("tier.yaml");
        var w = await DamonCli.Run(["args", .. Golden.Args("mem_tier"), "--format", "yaml", "--out", file]);
        Assert.Equal((ExitCodes.Ok, ""), (w.ExitCode, w.Out));
        var r = await DamonCli.Run(["args", "--kdamonds", file, "--format", "json"]);
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Equal(Golden.Read("mem_tier.json"), r.Out);
        var positional = await DamonCli.Run(["args", file]);
        Assert.Equal(r.Out, positional.Out);
    }

    [Fact]
    public async Task OptionMistakesAreOneLineUsageErrors()
    {
        var r = await DamonCli.Run(["args", "--damos_action", "pageout", "--damos_quota_goal", "some_mem_psi_us", "1ms"]);
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        Assert.Equal("damon: 'reset_interval_ms' not specified when setting quota goals (give --damos_quota_interval or a third --damos_quotas value)\n", r.Err);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public async Task BadFileIsAnInputErrorNamingFileAndPath()
    {
        using var dir = new TempDir();
        var file = dir.File("k.json");
        File.WriteAllText(file, """{"kdamonds": [{"contexts": [{"schemes": [{"action": "stat"}, {"quotas": {"sz_bytes": "12 XB"}}]}]}]}""");
        var r = await DamonCli.Run(["args", "--kdamonds", file]);
        Assert.Equal(ExitCodes.InputError, r.ExitCode);
        Assert.Equal($"damon: {file}: kdamonds[0].contexts[0].schemes[1].quotas.sz_bytes: \"12 XB\" is not a size\n", r.Err);
    }

    [Theory]
    [InlineData("omit_stat.json", "--damos_action stat -r 1G-2G --omit_defaults")]
    [InlineData("omit_pageout.yaml", "--damos_action pageout --damos_age 1s max --damos_filter allow anon -r 1G-2G --monitoring_intervals_autotune --omit_defaults --format yaml")]
    public async Task OmittedDefaultsMatchDamo(string golden, string args)
    {
        var r = await DamonCli.Run(["args", .. args.Split(' ')]);
        Assert.Equal((ExitCodes.Ok, ""), (r.ExitCode, r.Err));
        Assert.Equal(Golden.Read(golden), r.Out);
    }

    /// <summary>
    /// Same kdamonds as damo's output. Compared through the model: damo re-reads its own "max"
    /// access rate as 2^64 and writes "" for the memcg path of non-memcg filters it loaded.
    /// </summary>
    [Theory]
    [InlineData("add_to_mem_tier.json", "--damos_action stat -r 1G-2G --add {mem_tier}")]
    [InlineData("remove_from_mem_tier.json", "--remove {mem_tier} 0")]
    [InlineData("replace_in_mem_tier.json", "--replace {mem_tier} 1 --damos_action stat -r 1G-2G")]
    public async Task EditsMatchDamo(string golden, string args)
    {
        var tokens = args.Replace("{mem_tier}", Path.Combine(Golden.Dir, "mem_tier.json"), StringComparison.Ordinal).Split(' ');
        var r = await DamonCli.Run(["args", .. tokens]);
        Assert.Equal((ExitCodes.Ok, ""), (r.ExitCode, r.Err));
        Assert.Equal(Io.KdamondsJson.Write(Io.KdamondsJson.Read(Golden.Read(golden)), raw: true),
            Io.KdamondsJson.Write(Io.KdamondsJson.Read(r.Out), raw: true));
    }

    [Fact]
    public async Task EditIndexOutOfRange()
    {
        var r = await DamonCli.Run(["args", "--remove", Path.Combine(Golden.Dir, "mem_tier.json"), "2"]);
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        Assert.Equal("damon: kdamond index 2 is out of range (the file has 2)\n", r.Err);
    }

    [Fact]
    public async Task ReportCannotGoToAFile()
    {
        var r = await DamonCli.Run(["args", "--format", "report", "--out", "x.txt"]);
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        Assert.Contains("--out and report format cannot be used together", r.Err);
    }
}
