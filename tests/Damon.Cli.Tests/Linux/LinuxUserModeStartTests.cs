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
