using Damon.Linux.Backend;
using Damon.Linux.Sysfs;
using Damon.Linux.Tests.Backend.Fakes;
using Xunit;

namespace Damon.Linux.Tests.Backend;

/// <summary>
/// The per-target monitoring schemes of a two-target vaddr context: each has a 'target' filter rejecting the other
/// target. 'target' is a DAMON core filter: a 6.12 kernel takes it in filters/ (the one directory it has, which takes
/// every type), a 6.15+ kernel (the guest's 7.3, whose files are the 7.2 level's) only in core_filters/; its
/// ops_filters/ refuses it with EINVAL (mm/damon/sysfs-schemes.c, damos_sysfs_scheme_filter_valid_type).
/// </summary>
public sealed class TargetFilterTests
{
    private static (FakeSysfsTree Tree, LinuxBackend Backend) Started(SysfsKernelLevel level)
    {
        var tree = new FakeSysfsTree(level);
        var backend = new LinuxBackend(new LinuxBackendOptions
        {
            Mode = LinuxBackendMode.User, Tree = tree, Pacer = new FakePacer(), Notices = new StringWriter(),
            Actions = new FakeUserModeActions(),
        });
        tree.Log.Clear();
        backend.Start(KernelModeTests.VaddrSpec(100, 200));
        return (tree, backend);
    }

    private static bool IsFilterWrite(string w) => w.Contains("filters/", StringComparison.Ordinal);

    /// <summary>6.12's one filters/ directory, or 6.15+'s core_filters/ (and nothing in its ops_filters/).</summary>
    [Theory]
    [InlineData("6.12", "filters")]
    [InlineData("7.2", "core_filters")]
    public void Each_kernel_gets_the_target_filters_in_the_directory_that_takes_them(string kernel, string dir)
    {
        var level = kernel == "6.12" ? SysfsKernelLevel.V6_12 : SysfsKernelLevel.V7_2;
        var (tree, backend) = Started(level);
        using (backend)
        {
            string s0 = $"write kdamonds/0/contexts/0/schemes/0/{dir}/", s1 = $"write kdamonds/0/contexts/0/schemes/1/{dir}/";
            Assert.Equal(
            [
                s0 + "nr_filters: 1", s0 + "0/type: target", s0 + "0/damon_target_idx: 0", s0 + "0/matching: N",
                s1 + "nr_filters: 1", s1 + "0/type: target", s1 + "0/damon_target_idx: 1", s1 + "0/matching: N",
            ], tree.Writes.Where(IsFilterWrite));
            // Each scheme's filter follows its watermarks and precedes its apply interval (damo's order), and 'on' is last.
            var writes = tree.Writes.ToList();
            int f1 = writes.IndexOf(s1 + "nr_filters: 1");
            Assert.Equal("write kdamonds/0/contexts/0/schemes/1/watermarks/low: 0", writes[f1 - 1]);
            Assert.Equal("write kdamonds/0/contexts/0/schemes/1/apply_interval_us: 0", writes[f1 + 4]);
            Assert.Equal("write kdamonds/0/state: on", writes[^1]);
            if (level != SysfsKernelLevel.V6_12)
                Assert.Equal("0", tree.Read("kdamonds/0/contexts/0/schemes/1/ops_filters/nr_filters"));
        }
    }

    [Fact]
    public void A_7_x_ops_filters_directory_refuses_the_core_types_as_the_kernel_does()
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.V7_2);
        tree.Write("kdamonds/nr_kdamonds", "1");
        tree.Write("kdamonds/0/contexts/nr_contexts", "1");
        tree.Write("kdamonds/0/contexts/0/schemes/nr_schemes", "1");
        const string S = "kdamonds/0/contexts/0/schemes/0";
        tree.Write(S + "/ops_filters/nr_filters", "1");
        tree.Write(S + "/core_filters/nr_filters", "1");
        var e = Assert.Throws<SysfsException>(() => tree.Write(S + "/ops_filters/0/type", "target"));
        Assert.Equal(SysfsException.EINVAL, e.Errno);
        Assert.Equal(SysfsException.EINVAL, Assert.Throws<SysfsException>(() => tree.Write(S + "/core_filters/0/type", "anon")).Errno);
        tree.Write(S + "/core_filters/0/type", "target");
        tree.Write(S + "/ops_filters/0/type", "young");
        Assert.Equal("target", tree.Read(S + "/core_filters/0/type"));
        Assert.Equal("young", tree.Read(S + "/ops_filters/0/type"));
    }
}
