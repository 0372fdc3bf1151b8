using Damon.Linux.Sysfs;
using Xunit;

namespace Damon.Linux.Tests.Sysfs;

public class SysfsSafetyAndErrorTests
{
    [Fact]
    public void The_default_root_is_read_only_outside_the_guest()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("cmdline"), "BOOT_IMAGE=/vmlinuz root=/dev/sda1 quiet\n");
        Directory.CreateDirectory(dir.File("admin/kdamonds"));
        File.WriteAllText(dir.File("admin/kdamonds/nr_kdamonds"), "0\n");
        var tree = SysfsRoot.Open(null, dir.File("cmdline"), dir.File("admin"));
        Assert.True(tree.ReadOnly);
        Assert.Equal(0UL, tree.ReadUInt64("kdamonds/nr_kdamonds"));
        Assert.Equal($"damon: {dir.File("admin")}/kdamonds/nr_kdamonds: write \"0\" refused: {SysfsRoot.Rule}",
            Assert.Throws<SysfsException>(() => tree.Write("kdamonds/nr_kdamonds", "0")).Message);
        Assert.Equal("0", File.ReadAllText(dir.File("admin/kdamonds/nr_kdamonds")).Trim());
        Assert.Throws<SysfsException>(() => new KernelDamon(tree).Start(new Damon.Config.Schema.KdamondsSpec { Kdamonds = [new()] }));
    }

    [Fact]
    public void Outside_the_guest_status_reads_but_a_state_command_is_refused()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("cmdline"), "quiet\n");
        Directory.CreateDirectory(dir.File("admin/kdamonds/0/contexts"));
        File.WriteAllText(dir.File("admin/kdamonds/nr_kdamonds"), "1\n");
        File.WriteAllText(dir.File("admin/kdamonds/0/state"), "on\n");
        File.WriteAllText(dir.File("admin/kdamonds/0/pid"), "77\n");
        File.WriteAllText(dir.File("admin/kdamonds/0/contexts/nr_contexts"), "0\n");
        var damon = new KernelDamon(SysfsRoot.Open(null, dir.File("cmdline"), dir.File("admin")));
        Assert.Equal(("on", 77), (damon.Status().Kdamonds[0].State, damon.Status().Kdamonds[0].Pid));
        var e = Assert.Throws<SysfsException>(damon.UpdateSchemesStats);
        Assert.Equal($"damon: {dir.File("admin")}/kdamonds/0/state: write \"update_schemes_stats\" refused: {SysfsRoot.Rule}", e.Message);
        Assert.Equal("on", File.ReadAllText(dir.File("admin/kdamonds/0/state")).Trim());
    }

    [Theory]
    [InlineData("quiet testbed_guest console=ttyS0", false)]
    [InlineData("quiet not_testbed_guest", true)]
    public void Only_the_guest_marker_word_unlocks_the_default_root(string cmdline, bool readOnly)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("cmdline"), cmdline);
        Assert.Equal(readOnly, SysfsRoot.Open(null, dir.File("cmdline"), dir.File("admin")).ReadOnly);
    }

    [Fact]
    public void An_explicit_root_is_writable()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("state"), "off\n");
        var tree = SysfsRoot.Open(dir.Path, dir.File("no-such-cmdline"));
        tree.Write("state", "on");
        Assert.Equal("on", tree.Read("state"));
    }

    [Fact]
    public void A_failed_write_names_the_path_the_value_and_the_errno()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("schemes/0/action"));
        var tree = SysfsRoot.Open(dir.Path);
        var e = Assert.Throws<SysfsException>(() => tree.Write("schemes/0/action", "migrate_hot"));
        Assert.Equal($"damon: {dir.Path}/schemes/0/action: write \"migrate_hot\" failed: Is a directory", e.Message);
        Assert.Equal(SysfsException.EISDIR, e.Errno);
    }

    [Fact]
    public void The_fake_kernel_rejects_an_unknown_action_with_einval()
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.V6_12);
        tree.Write("kdamonds/nr_kdamonds", "1");
        tree.Write("kdamonds/0/contexts/nr_contexts", "1");
        tree.Write("kdamonds/0/contexts/0/schemes/nr_schemes", "1");
        var e = Assert.Throws<SysfsException>(() => tree.Write("kdamonds/0/contexts/0/schemes/0/action", "collapse"));
        Assert.Equal("damon: kdamonds/0/contexts/0/schemes/0/action: write \"collapse\" failed: Invalid argument", e.Message);
    }
}
