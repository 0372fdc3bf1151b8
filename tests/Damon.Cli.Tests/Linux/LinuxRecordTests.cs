using System.Globalization;
using Damon.Config.Schema;
using Damon.Linux.Sysfs;
using Xunit;

namespace Damon.Cli.Tests.Linux;

/// <summary>Which backend `damon record` runs on, and a recording from a fake kernel read back by `damon report`.</summary>
public sealed class LinuxRecordTests
{
    private static readonly string Pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_real_target_means_this_machines_kernel()
    {
        using var dir = new TempDir();
        // No DAMON under an empty sysfs root: the refusal shows the run went to the Linux backend.
        var pid = await DamonCli.Run("record", "--sysfs_root", dir.Path, "--target_pid", Pid, "--out", dir.File("r.data"));
        Assert.Equal((4, $"damon: this kernel has no DAMON sysfs interface (CONFIG_DAMON_SYSFS): {dir.Path}/kernel/mm/damon is missing\n"), (pid.ExitCode, pid.Err));

        using var cmdline = new TempDir();
        File.WriteAllText(cmdline.File("cmdline"), "quiet\n");
        using var _ = Damon.Cli.Linux.LinuxHooks.Use(new Damon.Cli.Linux.LinuxHooks { IsRoot = () => true, CmdlinePath = cmdline.File("cmdline") });
        const string refusal = "damon: record: refusing to write the host's DAMON sysfs (/sys/kernel/mm/damon/admin): a kdamond there belongs to the machine; "
            + "Damon writes it only inside the test-bed guest (/proc/cmdline word 'testbed_guest'); give --sysfs_root DIR to use another tree\n";
        foreach (var args in new[] { new[] { "--target_pid", Pid }, ["--ops", "paddr"], ["paddr"], ["--", "true"], ["--backend", "linux"] })
        {
            var r = await DamonCli.Run(["record", "--out", dir.File("r.data"), .. args]);
            Assert.Equal((4, refusal), (r.ExitCode, r.Err));
        }
        Assert.False(File.Exists(dir.File("r.data")));
    }

    [Fact]
    public async Task A_simulated_run_stays_on_the_simulator()
    {
        using var dir = new TempDir();
        var sim = await DamonCli.Run("record", "--workload", "gups:size=16M", "--ops", "paddr", "--duration", "0.5", "--out", dir.File("r.data"));
        Assert.Equal(0, sim.ExitCode);
        Assert.EndsWith($"of simulated time saved to {dir.File("r.data")} (json_compressed)\n", sim.Out);

        var command = await DamonCli.Run("record", "--backend", "sim", "--out", dir.File("r.data"), "--", "true");
        Assert.Equal((2, "damon: a command after -- is started and recorded on this machine's kernel, not on the simulator (drop --backend sim, --workload, --machine and --seed): true\n"),
            (command.ExitCode, command.Err));
    }

    [Fact]
    public async Task A_recording_from_the_kernels_regions_is_read_by_report()
    {
        using var k = new FakeKernel(SysfsKernelLevel.V6_16);
        // kdamond 0, context 0: the backend's monitoring scheme for target 0 is scheme 0 (no user schemes).
        k.Tree.SetKernelTriedRegions(0, 0, 0,
        [
            new TriedRegionSpec { Start = 0x7f0000000000, End = 0x7f0000800000, NrAccesses = 18, Age = 3 },
            new TriedRegionSpec { Start = 0x7f0000800000, End = 0x7f0004000000, NrAccesses = 0, Age = 40 },
        ]);
        using var dir = new TempDir();
        var r = await DamonCli.Run("record", "--sysfs_root", k.Root, "--target_pid", Pid, "--timeout", "0.5", "--out", dir.File("r.data"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Matches(@"^\d+ snapshots of 1 context\(s\) over \d+\.\d\d s of run time saved to .*r\.data \(json_compressed\)\n$", r.Out);
        int nrSnapshots = int.Parse(r.Out[..r.Out.IndexOf(' ')], CultureInfo.InvariantCulture);
        Assert.True(nrSnapshots >= 1, r.Out);
        Assert.Equal("off", k.Tree.Read("kdamonds/0/state"));

        var raw = await DamonCli.Run("report", "raw", "--input", dir.File("r.data"), "--raw_number");
        Assert.True(raw.ExitCode == 0, raw.Err);
        // Every snapshot holds the kernel's two regions, in bytes, with their nr_accesses and age.
        var lines = raw.Out.Split('\n');
        Assert.Equal(nrSnapshots, lines.Count(l => l.StartsWith("nr_regions: ", StringComparison.Ordinal)));
        Assert.All(lines.Where(l => l.StartsWith("nr_regions: ", StringComparison.Ordinal)), l => Assert.Equal("nr_regions: 2", l));
        Assert.Equal(nrSnapshots, lines.Count(l => l == "7f0000000000-7f0000800000 (     8388608)          18     3"));
        Assert.Equal(nrSnapshots, lines.Count(l => l == "7f0000800000-7f0004000000 (    58720256)           0    40"));
    }
}
