using Damon.Config.Args;
using Damon.Config.Io;
using Damon.Config.Schema;
using Damon.Linux.Sysfs;
using Xunit;

namespace Damon.Linux.Tests.Sysfs;

/// <summary>
/// monitoring_attrs/sample/ of the access-reporting hack tree: what is written (the order is
/// DamoGoldenTests'), read back, and refused where a kernel lacks the files.
/// </summary>
public class SampleControlSysfsTests
{
    private static KdamondsSpec Spec(params string[] options) => KdamondsBuilder.Build(options);

    private static readonly string[] Reports =
        ["--ops", "paddr", "--regions", "4096-1048576", "--sample_primitives", "page_fault", "--exp_ops_write_only", "Y", "--exp_ops_cpus", "0,1,2,3,8", "--exp_ops_tids", "12,34"];

    [Fact]
    public void Status_reads_the_sample_files_back_with_the_kernels_cpulist()
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.AccessReports);
        var damon = new KernelDamon(tree, sleep: _ => { });
        damon.Start(Spec(Reports));
        var sc = damon.Status().Kdamonds[0].Contexts[0].SampleControl;
        Assert.Equal(
            """{"primitives_enabled":{"page_table":false,"page_fault":true},"sample_filters":[{"filter_type":"write","matching":true,"allow":true,"cpumask":null,"tid_arr":null},{"filter_type":"cpumask","matching":true,"allow":true,"cpumask":"0-3,8","tid_arr":null},{"filter_type":"threads","matching":true,"allow":true,"cpumask":null,"tid_arr":"12,34"}]}""",
            sc.Write().ToJsonString());
    }

    [Fact]
    public void A_second_write_shrinks_the_filters_and_resets_the_primitive()
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.AccessReports);
        var writer = new KdamondsSysfsWriter(tree);
        writer.Write(Spec(Reports));
        tree.Log.Clear();
        writer.Write(Spec("--ops", "paddr", "--regions", "4096-1048576", "--exp_ops_tids", "56"));
        const string s = "kdamonds/0/contexts/0/monitoring_attrs/sample";
        Assert.Equal(
        [
            $"write {s}/primitives/page_table: Y",
            $"write {s}/primitives/page_fault: N",
            $"write {s}/filters/nr_filters: 1",
            $"write {s}/filters/0/type: threads",
            $"write {s}/filters/0/matching: Y",
            $"write {s}/filters/0/allow: Y",
            $"write {s}/filters/0/tid_arr: 56",
        ], tree.Writes.Where(w => w.Contains("/sample/", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_kernel_refuses_on_with_both_primitives_as_damon_commit_ctx_does()
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.AccessReports);
        var spec = KdamondsJson.Read("""{"kdamonds": [{"contexts": [{"ops": "paddr", "targets": [{"regions": [{"start": 4096, "end": 8192}]}], "sample_control": {"primitives_enabled": {"page_table": true, "page_fault": true}}}]}]}""");
        var e = Assert.Throws<SysfsException>(() => new KernelDamon(tree, sleep: _ => { }).Start(spec));
        Assert.Equal(SysfsException.EINVAL, e.Errno);
        Assert.Equal("off", tree.Read("kdamonds/0/state").Trim());
    }

    [Theory]
    [InlineData("cpumask", "0-3,x")]
    [InlineData("tid_arr", "12;34")]
    public void The_fake_kernel_refuses_what_cpulist_parse_and_parse_int_array_refuse(string file, string value)
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.AccessReports);
        new KdamondsSysfsWriter(tree).Write(Spec(Reports));
        var e = Assert.Throws<SysfsException>(() => tree.Write($"kdamonds/0/contexts/0/monitoring_attrs/sample/filters/1/{file}", value));
        Assert.Equal(SysfsException.EINVAL, e.Errno);
    }

    [Fact]
    public void A_7_2_kernel_refuses_reports_naming_the_missing_files()
    {
        var f = DamonSysfsFeatures.Detect(new FakeSysfsTree(SysfsKernelLevel.V7_2));
        Assert.Equal(
        [
            "this kernel has no kdamonds/0/contexts/0/monitoring_attrs/sample/primitives/page_fault: page_fault sampling (kdamond 0 context 0) needs the access-reporting kernel (damonitor/linux, monitoring_attrs/sample/)",
            "this kernel has no kdamonds/0/contexts/0/monitoring_attrs/sample/filters: sample filters (kdamond 0 context 0) need the access-reporting kernel (damonitor/linux, monitoring_attrs/sample/)",
        ], f.Missing(Spec(Reports)));
        Assert.Equal(
            ["this kernel has no kdamonds/0/contexts/0/monitoring_attrs/sample/filters: sample filters (kdamond 0 context 0) need the access-reporting kernel (damonitor/linux, monitoring_attrs/sample/)"],
            f.Missing(Spec("--ops", "paddr", "--regions", "4096-8192", "--exp_ops_write_only", "Y")));
        Assert.Empty(f.Missing(Spec("--ops", "paddr", "--regions", "4096-8192", "--sample_primitives", "page_table")));
        Assert.Empty(DamonSysfsFeatures.Detect(new FakeSysfsTree(SysfsKernelLevel.AccessReports)).Missing(Spec(Reports)));
    }

    [Fact]
    public void An_operations_attrs_kernel_takes_what_damos_OpsAttrs_can_say()
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.V7_2 with { Name = "ops_attrs", OpsAttrs = true });
        var f = DamonSysfsFeatures.Detect(tree);
        Assert.Empty(f.Missing(Spec(Reports)));
        var reject = KdamondsJson.Read("""{"kdamonds": [{"contexts": [{"ops": "paddr", "sample_control": {"primitives_enabled": {"page_table": false, "page_fault": true}, "sample_filters": [{"filter_type": "write", "matching": true, "allow": false}]}}]}]}""");
        Assert.Equal(
            ["this kernel has no kdamonds/0/contexts/0/monitoring_attrs/sample/filters: sample filters that reject, match the opposite or repeat a type (kdamond 0 context 0) cannot be said in operations_attrs/; it needs the access-reporting kernel (damonitor/linux, monitoring_attrs/sample/)"],
            f.Missing(reject));
        new KdamondsSysfsWriter(tree).Write(Spec(Reports));
        Assert.Equal(["Y", "Y", "0,1,2,3,8", "12,34"],
            new[] { "use_reports", "write_only", "cpus", "tids" }.Select(n => tree.Read($"kdamonds/0/contexts/0/operations_attrs/{n}").Trim()));
    }

    [Fact]
    public void The_hack_tree_level_has_sample_and_no_operations_attrs()
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.AccessReports);
        var f = DamonSysfsFeatures.Detect(tree);
        Assert.True(f.Sample);
        Assert.False(f.OperationsAttrs);
        new KdamondsSysfsWriter(tree).Write(Spec("--ops", "paddr", "--regions", "4096-8192"));
        const string s = "kdamonds/0/contexts/0/monitoring_attrs/sample";
        Assert.Equal(["Y", "N", "0", "0"],
            new[] { "primitives/page_table", "primitives/page_fault", "filters/nr_filters", "perf_events/nr_perf_events" }.Select(p => tree.Read($"{s}/{p}").Trim()));
    }
}
