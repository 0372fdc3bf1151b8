using System.Text.Json;
using Damon.Linux.Sysfs;
using Xunit;

namespace Damon.Cli.Tests.Linux;

/// <summary>
/// damo's access-sampling options on the verbs: bad values are command-line errors (exit 2), a
/// kernel without monitoring_attrs/sample/ refuses them naming the file (exit 4), the hack tree
/// takes them.
/// </summary>
public sealed class SampleOptionVerbTests
{
    private static readonly string[] Paddr = ["--ops", "paddr", "--regions", "4096-1048576"];

    [Theory]
    [InlineData("args", "--exp_ops_cpus", "2-1", "damon: --exp_ops_cpus 2-1: '2-1': range start exceeds its end\n")]
    [InlineData("args", "--exp_ops_use_reports", "maybe", "damon: --exp_ops_use_reports maybe: expected Y or N (y/yes/true, n/no/false, any case)\n")]
    [InlineData("sim", "--sample_primitives", "page_walk", "damon: --sample_primitives: invalid choice: 'page_walk' (choose from page_table, page_fault)\n")]
    [InlineData("record", "--exp_ops_tids", "a,b", "damon: --exp_ops_tids a,b: 'a' is not a thread id (a whole number above 0; ids are separated by commas)\n")]
    public async Task Bad_values_are_one_line_and_exit_2(string verb, string option, string value, string err)
    {
        using var dir = new TempDir();
        string[] extra = verb switch
        {
            "sim" => ["--duration", "0.1"],
            "record" => ["--backend", "sim", "--duration", "0.1", "--out", dir.File("x.data")],
            _ => [],
        };
        var r = await DamonCli.Run([verb, .. extra, .. Paddr, option, value]);
        Assert.Equal((2, err), (r.ExitCode, r.Err));
    }

    /// <summary>The last snapshot's regions: how many, and how many were accessed.</summary>
    private static async Task<(int Regions, int Accessed, string Status)> SimWith(params string[] options)
    {
        var r = await DamonCli.Run(["sim", "--duration", "1", "--snapshot_every", "1", .. options, "--json"]);
        Assert.Equal((0, ""), (r.ExitCode, r.Err));
        using var doc = JsonDocument.Parse(r.Out);
        var regions = doc.RootElement.GetProperty("snapshots").EnumerateArray().Last().GetProperty("targets").EnumerateArray()
            .SelectMany(t => t.GetProperty("regions").EnumerateArray()).ToList();
        var status = await DamonCli.Run(["sim", "--duration", "0.2", "--report_damon", .. options]);
        return (regions.Count, regions.Count(g => g.GetProperty("nr_accesses").GetDouble() > 0),
            string.Join('\n', status.Out.Split('\n').SkipWhile(l => !l.Contains("access sample control", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task Sim_samples_by_page_faults_and_a_threads_filter_of_no_thread_keeps_no_access()
    {
        var all = await SimWith("--exp_ops_use_reports", "Y");
        Assert.True(all.Accessed > 0, $"{all.Accessed} of {all.Regions} regions accessed");
        Assert.Equal("        access sample control\n        enabled primitives: page_fault\n", all.Status);
        var none = await SimWith("--exp_ops_use_reports", "Y", "--exp_ops_tids", "999999");
        Assert.Equal(0, none.Accessed);
        Assert.Equal("        access sample control\n        enabled primitives: page_fault\n        Filters\n        - allow threads 999999\n", none.Status);
    }

    [Fact]
    public async Task Start_on_a_7_2_kernel_refuses_page_fault_naming_the_missing_file()
    {
        using var k = new FakeKernel(SysfsKernelLevel.V7_2);
        var r = await DamonCli.Run(["start", "--sysfs_root", k.Root, .. Paddr, "--sample_primitives", "page_fault"]);
        Assert.Equal(4, r.ExitCode);
        Assert.Equal("damon: this kernel has no kdamonds/0/contexts/0/monitoring_attrs/sample/primitives/page_fault: page_fault sampling (kdamond 0 context 0) needs the access-reporting kernel (damonitor/linux, monitoring_attrs/sample/)\n", r.Err);
        Assert.DoesNotContain(k.Tree.Commands, c => c.Command == "on");
    }

    [Fact]
    public async Task Start_on_the_hack_tree_writes_the_sample_files()
    {
        using var k = new FakeKernel(SysfsKernelLevel.AccessReports);
        var r = await DamonCli.Run(["start", "--sysfs_root", k.Root, .. Paddr, "--exp_ops_use_reports", "Y", "--exp_ops_cpus", "1,3"]);
        Assert.Equal((0, ""), (r.ExitCode, r.Err));
        const string s = "kdamonds/0/contexts/0/monitoring_attrs/sample";
        Assert.Equal(["N", "Y", "1", "cpumask", "1,3"],
            new[] { "primitives/page_table", "primitives/page_fault", "filters/nr_filters", "filters/0/type", "filters/0/cpumask" }.Select(p => k.Tree.Read($"{s}/{p}").Trim()));
        Assert.Equal("on", k.Tree.Read("kdamonds/0/state"));
    }
}
