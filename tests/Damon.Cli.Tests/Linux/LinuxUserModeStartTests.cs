using System.Globalization;
using Damon.Config.Schema;
using Damon.Linux.Sysfs;
using Xunit;

namespace Damon.Cli.Tests.Linux;

/// <summary>`start --mode user` on a fake kernel: only the monitoring scheme reaches the kernel, the run stays in the foreground, its kdamonds are off at the end.</summary>
public sealed class LinuxUserModeStartTests
{
    [Fact]
    public async Task User_mode_runs_in_the_foreground_until_the_timeout_then_turns_the_kdamond_off()
    {
        using var k = new FakeKernel(SysfsKernelLevel.V6_12);
        k.Tree.SetKernelTriedRegions(0, 0, 0,
        [
            new TriedRegionSpec { Start = 0x7f0000000000, End = 0x7f0000800000, NrAccesses = 18, Age = 3 },
            new TriedRegionSpec { Start = 0x7f0000800000, End = 0x7f0004000000, NrAccesses = 0, Age = 40 },
        ]);
        string pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var r = await DamonCli.Run("start", "--sysfs_root", k.Root, "--mode", "user", "--timeout", "0.4",
            "--ops", "vaddr", "--target_pid", pid, "--damos_action", "stat");
        Assert.True(r.ExitCode == 0, r.Err);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("started 1 context(s) in user mode (kdamond 0 ctx 0 (vaddr)); Damon runs the schemes until 0.4 s, Ctrl+C or SIGTERM", lines[0]);
        // The last status line: the kernel's two regions, the stat scheme's applications counted by Damon's engine.
        Assert.Matches(@"^t=\d+\.\d s: kdamond 0 ctx 0 \(vaddr\): 2 regions; stat tried \d+ \(.*\) applied \d+ \(.*\)$", lines[^2]);
        Assert.Matches(@"^stopped after \d+\.\d s: timeout reached; kdamonds off$", lines[^1]);
        // The kernel ran only Damon's monitoring scheme; the user's stat scheme ran in Damon.
        Assert.Equal("1", k.Tree.Read("kdamonds/0/contexts/0/schemes/nr_schemes"));
        Assert.Equal("0", k.Tree.Read("kdamonds/0/contexts/0/schemes/0/quotas/bytes"));
        Assert.Equal("off", k.Tree.Read("kdamonds/0/state"));
    }

    /// <summary>
    /// DAMON-X on the real kernel: the modules' union is one kdamond whose monitoring the kernel
    /// does, and Damon runs every module's schemes in the shared context's order. Kernel mode has no
    /// shared context: refused before anything is written.
    /// </summary>
    [Fact]
    public async Task Several_modules_run_in_one_shared_context_in_user_mode_only()
    {
        using var k = new FakeKernel(SysfsKernelLevel.V6_12);
        var kernel = await DamonCli.Run("start", "--sysfs_root", k.Root, "--module", "damon_reclaim", "--module", "damon_tier");
        Assert.Equal((2, "damon: --module: damon_reclaim, damon_tier: the kernel starts every module as its own exclusive kdamond; several modules share one context with --mode user\n"),
            (kernel.ExitCode, kernel.Err));
        Assert.Empty(k.Tree.Writes);

        // RECLAIM monitors all System RAM (0x1000-0x3ffdefff), TIER the biggest resource (from 0x100000): the union
        // is cut at 0x100000, and the kernel takes one paddr target only (the fake refuses more at `on`, as 6.12 did).
        string proc = Directory.CreateTempSubdirectory("damon-x-proc").FullName;
        File.WriteAllText(Path.Combine(proc, "iomem"), "00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n"
            + "000a0000-000fffff : Reserved\n00100000-3ffdefff : System RAM\n  01000000-01ffffff : Kernel code\n");
        var r = await DamonCli.Run("start", "--sysfs_root", k.Root, "--procfs_root", proc, "--mode", "user", "--timeout", "0.3",
            "--module", "damon_reclaim", "--module", "damon_tier", "--module_param", "reclaim.min_age=1000000",
            // No page_idle bitmap on the fake kernel: TIER without its young-page filters.
            "--module_param", "tier.filter_young_pages=N");
        Directory.Delete(proc, recursive: true);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal(("1", "2"), (k.Tree.Read("kdamonds/0/contexts/0/targets/nr_targets"), k.Tree.Read("kdamonds/0/contexts/0/targets/0/regions/nr_regions")));
        Assert.Equal(("4096", "1048576", "1048576", "1073606656"),
            (k.Tree.Read("kdamonds/0/contexts/0/targets/0/regions/0/start"), k.Tree.Read("kdamonds/0/contexts/0/targets/0/regions/0/end"),
             k.Tree.Read("kdamonds/0/contexts/0/targets/0/regions/1/start"), k.Tree.Read("kdamonds/0/contexts/0/targets/0/regions/1/end")));
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("started 1 context(s) in user mode (damon_x (paddr)); Damon runs the schemes until 0.3 s, Ctrl+C or SIGTERM", lines[0]);
        // TIER's promotion, RECLAIM's pageout, then TIER's demotion, in one context.
        Assert.Matches(@"^t=\d+\.\d s: damon_x \(paddr\): \d+ regions; migrate_hot tried \d+ .*, pageout tried \d+ .*, migrate_cold tried \d+ .*$", lines[^2]);
        Assert.Equal("paddr", k.Tree.Read("kdamonds/0/contexts/0/operations"));
        Assert.Equal("off", k.Tree.Read("kdamonds/0/state"));
    }

    /// <summary>Cancels the run (as Ctrl+C does) once the start line is written: an event of the run, not a delay.</summary>
    private sealed class CancelOnStart(CancellationTokenSource cts) : StringWriter
    {
        public override void Write(string? value)
        {
            base.Write(value);
            if (value is not null && value.StartsWith("started ", StringComparison.Ordinal))
                cts.Cancel();
        }
    }

    [Fact]
    public async Task Ctrl_C_ends_user_mode_with_130_and_the_kdamond_off()
    {
        using var k = new FakeKernel(SysfsKernelLevel.V6_16);
        using var cts = new CancellationTokenSource();
        string pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var r = await DamonCli.Run(new CancelOnStart(cts), cts.Token, "start", "--sysfs_root", k.Root, "--mode", "user", "--ops", "vaddr", "--target_pid", pid);
        Assert.Equal(130, r.ExitCode);
        Assert.Matches(@"\nstopped after \d+\.\d s: interrupted; kdamonds off\n$", r.Out);
        Assert.Equal("off", k.Tree.Read("kdamonds/0/state"));
    }
}
