using System.Globalization;
using System.Text.Json;
using Damon.Cli.Linux;
using Damon.Config.Args;
using Damon.Config.Schema;
using Damon.Linux.Sysfs;
using Xunit;

namespace Damon.Cli.Tests.Linux;

/// <summary>start, tune, stop and status in kernel mode on a fake admin tree: what is written, what is shown.</summary>
public sealed class LinuxKernelVerbTests
{
    private static readonly string Pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    private static string[] Vaddr(params string[] more) => ["--ops", "vaddr", "--target_pid", Pid, .. more];

    /// <summary>damo's protocol on a fresh tree of the same level for the same options, then `on`.</summary>
    private static List<string> ExpectedStartWrites(SysfsKernelLevel level, string[] damo)
    {
        var reference = new FakeSysfsTree(level);
        new KdamondsSysfsWriter(reference).Write(KdamondsBuilder.Build(damo));
        reference.Write("kdamonds/0/state", "on");
        return [.. reference.Writes];
    }

    [Fact]
    public async Task Start_writes_damos_protocol_turns_on_and_exits()
    {
        using var k = new FakeKernel(SysfsKernelLevel.V6_16);
        var r = await DamonCli.Run(["start", "--sysfs_root", k.Root, .. Vaddr("--damos_action", "stat")]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Err);
        Assert.Equal($"started kdamond 0 (pid 4242, state on): vaddr pid {Pid}, 1 scheme(s); the kernel runs it until `damon stop`\n", r.Out);
        // Feature detection probes the tree first (damo's way: try writing each word, then nr_kdamonds 0).
        var expected = ExpectedStartWrites(SysfsKernelLevel.V6_16, Vaddr("--damos_action", "stat"));
        var writes = k.Tree.Writes.ToList();
        Assert.Equal(expected, writes.Skip(writes.Count - expected.Count));
        Assert.Equal("write kdamonds/nr_kdamonds: 0", writes[writes.Count - expected.Count - 1]);
        Assert.Equal("on", k.Tree.Read("kdamonds/0/state"));
    }

    [Fact]
    public async Task Tune_commits_new_parameters_to_the_running_kdamond()
    {
        using var k = new FakeKernel(SysfsKernelLevel.V6_16);
        Assert.Equal(0, (await DamonCli.Run(["start", "--sysfs_root", k.Root, .. Vaddr()])).ExitCode);
        var r = await DamonCli.Run(["tune", "--sysfs_root", k.Root, .. Vaddr("--monitoring_intervals", "10ms", "200ms", "2s")]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"committed to kdamond 0 (pid 4242, state on): vaddr pid {Pid}, 0 scheme(s); running\n", r.Out);
        Assert.Equal([("kdamonds/0", "on"), ("kdamonds/0", "commit")], k.Tree.Commands);
        Assert.Equal("10000", k.Tree.Read("kdamonds/0/contexts/0/monitoring_attrs/intervals/sample_us"));
        Assert.Equal("200000", k.Tree.Read("kdamonds/0/contexts/0/monitoring_attrs/intervals/aggr_us"));
        Assert.Equal("on", k.Tree.Read("kdamonds/0/state"));
    }

    [Fact]
    public async Task Stop_turns_every_kdamond_off()
    {
        using var k = new FakeKernel(SysfsKernelLevel.V6_16);
        Assert.Equal(0, (await DamonCli.Run(["start", "--sysfs_root", k.Root, .. Vaddr()])).ExitCode);
        var r = await DamonCli.Run("stop", "--sysfs_root", k.Root);
        Assert.Equal((0, "stopped 1 kdamond(s)\n"), (r.ExitCode, r.Out));
        Assert.Equal("off", k.Tree.Read("kdamonds/0/state"));
        var again = await DamonCli.Run("stop", "--sysfs_root", k.Root);
        Assert.Equal((0, "no kdamond was running\n"), (again.ExitCode, again.Out));
    }

    [Fact]
    public async Task Status_refreshes_stats_and_tried_regions_and_renders_the_tree()
    {
        using var k = new FakeKernel(SysfsKernelLevel.V6_16);
        Assert.Equal(0, (await DamonCli.Run(["start", "--sysfs_root", k.Root, .. Vaddr("--damos_action", "pageout")])).ExitCode);
        k.Tree.SetKernelStats(0, 0, 0, new SchemeStatsSpec { NrTried = 7, SzTried = 7 << 20, NrApplied = 3, SzApplied = 3 << 20, QtExceeds = 1 });
        k.Tree.SetKernelTriedRegions(0, 0, 0, [new TriedRegionSpec { Start = 0x10000, End = 0x30000, NrAccesses = 0, Age = 12 }]);

        var json = await DamonCli.Run("status", "--sysfs_root", k.Root, "--format", "json");
        Assert.Equal(0, json.ExitCode);
        Assert.Equal([("kdamonds/0", "on"), ("kdamonds/0", "update_schemes_stats"), ("kdamonds/0", "update_schemes_tried_regions")], k.Tree.Commands);
        using var doc = JsonDocument.Parse(json.Out);
        var kd = doc.RootElement.GetProperty("kdamonds")[0];
        Assert.Equal("on", kd.GetProperty("state").GetString());
        var scheme = kd.GetProperty("contexts")[0].GetProperty("schemes")[0];
        Assert.Equal("pageout", scheme.GetProperty("action").GetString());
        Assert.Equal("3", scheme.GetProperty("stats").GetProperty("nr_applied").GetString());
        Assert.Equal("7", scheme.GetProperty("stats").GetProperty("nr_tried").GetString());
        var region = scheme.GetProperty("tried_regions").EnumerateArray().Single();
        Assert.Equal("12", region.GetProperty("age").GetString());

        // The text tree is report damon's of the same status.
        var text = await DamonCli.Run("status", "--sysfs_root", k.Root);
        using var dir = new TempDir();
        File.WriteAllText(dir.File("status.json"), json.Out);
        var fromFile = await DamonCli.Run("report", "damon", "--input", dir.File("status.json"));
        Assert.Equal(fromFile.Out, text.Out);
        Assert.StartsWith("kdamond 0\n    state: on, pid: 4242\n", text.Out);
        Assert.Contains("tried regions (", text.Out);
    }

    [Fact]
    public async Task Start_while_a_kdamond_runs_is_refused_in_one_line()
    {
        using var k = new FakeKernel(SysfsKernelLevel.V6_16);
        Assert.Equal(0, (await DamonCli.Run(["start", "--sysfs_root", k.Root, .. Vaddr()])).ExitCode);
        int writes = k.Tree.Writes.Count();
        var r = await DamonCli.Run(["start", "--sysfs_root", k.Root, .. Vaddr()]);
        Assert.Equal((4, "damon: start: a kdamond is already running; change it with `damon tune` or end it with `damon stop`\n"), (r.ExitCode, r.Err));
        Assert.Equal(writes, k.Tree.Writes.Count());
    }

    [Fact]
    public async Task Tune_without_a_running_kdamond_is_refused()
    {
        using var k = new FakeKernel(SysfsKernelLevel.V6_16);
        var r = await DamonCli.Run(["tune", "--sysfs_root", k.Root, .. Vaddr()]);
        Assert.Equal((4, "damon: tune: no kdamond is running (start one with `damon start`)\n"), (r.ExitCode, r.Err));
        Assert.Empty(k.Tree.Writes);
    }

    [Fact]
    public async Task A_feature_the_kernel_lacks_is_refused_before_anything_is_written()
    {
        // DAMON_TIER's goals are node_mem_used_bp/node_mem_free_bp, which 6.12 does not have.
        using var k = new FakeKernel(SysfsKernelLevel.V6_12);
        var r = await DamonCli.Run("start", "--sysfs_root", k.Root, "--module", "damon_tier");
        Assert.Equal(4, r.ExitCode);
        Assert.StartsWith("damon: this kernel does not accept the quota goal metric 'node_mem_used_bp' (kdamond 0 context 0 scheme 0; it accepts ", r.Err);
        Assert.EndsWith("; node_mem_used_bp/node_mem_free_bp need 6.16+ (--mode user runs such schemes in Damon on this kernel)\n", r.Err);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // Only feature detection's probes: no kdamond left configured, none turned on.
        Assert.Empty(k.Tree.Commands);
        Assert.Equal("write kdamonds/nr_kdamonds: 0", k.Tree.Writes.Last());
    }

    [Fact]
    public async Task A_module_in_kernel_mode_is_written_as_its_own_kdamond()
    {
        using var k = new FakeKernel(SysfsKernelLevel.V6_16);
        var r = await DamonCli.Run("start", "--sysfs_root", k.Root, "--module", "damon_tier");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal("started kdamond 0 (pid 4242, state on): paddr, 2 scheme(s); the kernel runs it until `damon stop`\n", r.Out);
        Assert.Equal("migrate_hot", k.Tree.Read("kdamonds/0/contexts/0/schemes/0/action"));
        Assert.Equal("node_mem_used_bp", k.Tree.Read("kdamonds/0/contexts/0/schemes/0/quotas/goals/0/target_metric"));
        Assert.Equal("migrate_cold", k.Tree.Read("kdamonds/0/contexts/0/schemes/1/action"));
    }

    [Fact]
    public async Task Refusals_are_one_line_with_exit_4()
    {
        using var notRoot = new FakeKernel(SysfsKernelLevel.V6_16, isRoot: false);
        var r = await DamonCli.Run(["start", .. Vaddr()]);
        Assert.Equal((4, "damon: start needs root: DAMON's sysfs files under /sys/kernel/mm/damon/admin are root's (run it with sudo)\n"), (r.ExitCode, r.Err));

        using var dir = new TempDir();
        var none = await DamonCli.Run(["start", "--sysfs_root", dir.Path, .. Vaddr()]);
        Assert.Equal((4, $"damon: this kernel has no DAMON sysfs interface (CONFIG_DAMON_SYSFS): {dir.Path}/kernel/mm/damon is missing\n"),
            (none.ExitCode, none.Err));
    }

    [Fact]
    public async Task The_hosts_own_tree_is_not_written_outside_the_guest()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("cmdline"), "BOOT_IMAGE=/vmlinuz root=/dev/sda1 quiet\n");
        using var _ = LinuxHooks.Use(new LinuxHooks { IsRoot = () => true, CmdlinePath = dir.File("cmdline") });
        foreach (var verb in new[] { "start", "tune", "stop" })
        {
            var r = await DamonCli.Run(verb == "stop" ? [verb] : [verb, .. Vaddr()]);
            Assert.Equal((4, $"damon: {verb}: refusing to write the host's DAMON sysfs (/sys/kernel/mm/damon/admin): a kdamond there belongs to the machine; "
                + "Damon writes it only inside the test-bed guest (/proc/cmdline word 'testbed_guest'); give --sysfs_root DIR to use another tree\n"), (r.ExitCode, r.Err));
        }
    }

    [Fact]
    public async Task Command_line_mistakes_exit_2()
    {
        using var k = new FakeKernel(SysfsKernelLevel.V6_16);
        var timeout = await DamonCli.Run(["start", "--sysfs_root", k.Root, "--timeout", "5", .. Vaddr()]);
        Assert.Equal((2, "damon: --timeout: kernel mode's kdamonds outlive `damon start` (end them with `damon stop`); --timeout is for --mode user\n"),
            (timeout.ExitCode, timeout.Err));
        var gone = await DamonCli.Run("start", "--sysfs_root", k.Root, "--ops", "vaddr", "--target_pid", "999999999");
        Assert.Equal((2, "damon: --target_pid 999999999: no such process\n"), (gone.ExitCode, gone.Err));
        var mode = await DamonCli.Run("start", "--sysfs_root", k.Root, "--mode", "both");
        Assert.Equal(2, mode.ExitCode);
        Assert.Empty(k.Tree.Writes);
    }
}
