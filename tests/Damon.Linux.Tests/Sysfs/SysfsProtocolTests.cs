using Damon.Config.Args;
using Damon.Config.Schema;
using Damon.Linux.Sysfs;
using Xunit;

namespace Damon.Linux.Tests.Sysfs;

public class SysfsProtocolTests
{
    private static KdamondsSpec Spec(params string[] options) => KdamondsBuilder.Build(options);

    [Fact]
    public void A_second_write_of_the_same_counts_reads_nr_files_and_writes_none()
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.V7_2);
        var spec = Spec("--ops", "vaddr", "--target_pid", "7", "--damos_action", "stat");
        new KdamondsSysfsWriter(tree).Write(spec);
        tree.Log.Clear();
        new KdamondsSysfsWriter(tree).Write(spec);
        Assert.DoesNotContain(tree.Log, a => a.Op == SysfsOp.Write && System.Text.RegularExpressions.Regex.IsMatch(a.Path, "/?nr_(kdamonds|contexts|targets|regions|schemes|goals|dests|probes|filters)$"));
        Assert.Equal(["kdamonds/nr_kdamonds", "kdamonds/0/contexts/nr_contexts"],
            tree.Log.Where(a => a.Op == SysfsOp.Read).Select(a => a.Path).Take(2));
    }

    [Fact]
    public void Fewer_schemes_shrink_the_tree_and_the_counts_come_first()
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.V7_2);
        new KdamondsSysfsWriter(tree).Write(Spec("--ops", "vaddr", "--target_pid", "7", "--damos_action", "stat", "--damos_action", "cold"));
        Assert.True(tree.DirExists("kdamonds/0/contexts/0/schemes/1"));
        tree.Log.Clear();
        new KdamondsSysfsWriter(tree).Write(Spec("--ops", "vaddr", "--target_pid", "7", "--damos_action", "cold"));
        Assert.False(tree.DirExists("kdamonds/0/contexts/0/schemes/1"));
        var nrWrite = tree.Log.FindIndex(a => a is { Op: SysfsOp.Write, Path: "kdamonds/0/contexts/0/schemes/nr_schemes" });
        var action = tree.Log.FindIndex(a => a is { Op: SysfsOp.Write, Path: "kdamonds/0/contexts/0/schemes/0/action" });
        Assert.Equal("1", tree.Log[nrWrite].Value);
        Assert.True(nrWrite < action);
        Assert.Equal("cold", tree.Read("kdamonds/0/contexts/0/schemes/0/action"));
    }

    [Fact]
    public void Round_trip_reads_back_the_parameters_written()
    {
        var (tree, damon) = FakeKernel.KernelDamonOn(SysfsKernelLevel.V7_2);
        var spec = Spec("--ops", "paddr", "--regions", "4096-1048576", "--monitoring_intervals", "10ms", "200ms", "2s",
            "--damos_action", "migrate_hot", "0", "--damos_access_rate", "50%", "100%", "--damos_age", "0", "max",
            "--damos_quota_interval", "1s", "--damos_quota_space", "64M", "--damos_quota_goal", "node_mem_free_bp", "5%", "0",
            "--damos_filter", "allow", "anon", "--damos_filter", "reject", "addr", "4096", "8192");
        damon.Start(spec);
        var back = new KdamondsSysfsReader(tree).Read();
        // Back in the files' units (samples, aggregation intervals): convert the original the same way.
        foreach (var s in spec.Kdamonds[0].Contexts[0].Schemes)
        {
            var (nrMin, nrMax, ageMin, ageMax) = SysfsAccessPattern.ToKernelUnits(s.AccessPattern, spec.Kdamonds[0].Contexts[0].Intervals);
            s.AccessPattern = SysfsAccessPattern.FromKernelUnits(s.AccessPattern.SzMin, s.AccessPattern.SzMax, nrMin, nrMax, ageMin, ageMax);
            // The reader returns core filters first, as the kernel's directories hold them.
            s.Filters = [.. s.Filters.Where(KdamondsSysfsWriter.IsCoreFilter), .. s.Filters.Where(f => !KdamondsSysfsWriter.IsCoreFilter(f))];
        }
        Assert.Equal("on", back.Kdamonds[0].State);
        Assert.Equal(4242, back.Kdamonds[0].Pid);
        back.Kdamonds[0].State = spec.Kdamonds[0].State;
        back.Kdamonds[0].Pid = spec.Kdamonds[0].Pid;
        Assert.Equal(spec.Write(raw: true).ToJsonString(), back.Write(raw: true).ToJsonString());
    }

    [Fact]
    public void Filters_go_to_filters_dir_on_6_12_and_are_split_on_7_2()
    {
        var spec = Spec("--ops", "vaddr", "--target_pid", "1", "--damos_action", "stat",
            "--damos_filter", "reject", "addr", "0", "4096", "--damos_filter", "reject", "anon");
        var old = new FakeSysfsTree(SysfsKernelLevel.V6_12);
        new KdamondsSysfsWriter(old).Write(spec);
        Assert.Equal("2", old.Read("kdamonds/0/contexts/0/schemes/0/filters/nr_filters"));
        var neu = new FakeSysfsTree(SysfsKernelLevel.V7_2);
        new KdamondsSysfsWriter(neu).Write(spec);
        Assert.Equal("addr", neu.Read("kdamonds/0/contexts/0/schemes/0/core_filters/0/type"));
        Assert.Equal("anon", neu.Read("kdamonds/0/contexts/0/schemes/0/ops_filters/0/type"));
        Assert.Equal("0", neu.Read("kdamonds/0/contexts/0/schemes/0/filters/nr_filters"));
    }

    [Fact]
    public void A_reused_allow_filter_is_reset_to_reject()
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.V7_2);
        new KdamondsSysfsWriter(tree).Write(Spec("--ops", "vaddr", "--target_pid", "1", "--damos_action", "stat", "--damos_filter", "allow", "anon"));
        new KdamondsSysfsWriter(tree).Write(Spec("--ops", "vaddr", "--target_pid", "1", "--damos_action", "stat", "--damos_filter", "reject", "anon"));
        Assert.Equal("N", tree.Read("kdamonds/0/contexts/0/schemes/0/ops_filters/0/allow"));
    }

    [Fact]
    public void A_6_12_tree_refuses_an_allow_filter_with_damos_words()
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.V6_12);
        var e = Assert.Throws<SysfsException>(() => new KdamondsSysfsWriter(tree).Write(
            Spec("--ops", "vaddr", "--target_pid", "1", "--damos_action", "stat", "--damos_filter", "allow", "anon")));
        Assert.Equal("damon: kdamonds/0/contexts/0/schemes/0/filters/0/allow: kernel is not supporting allow_filter", e.Message);
    }
}
