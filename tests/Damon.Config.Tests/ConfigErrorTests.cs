using Damon.Config.Args;
using Damon.Config.Engine;
using Damon.Config.Io;
using Xunit;

namespace Damon.Config.Tests;

public class ConfigErrorTests
{
    private const string TwoSchemes = """
        {"kdamonds": [{"contexts": [{"ops": "paddr", "targets": [],
          "schemes": [{"action": "stat"},
                      {"action": "pageout", "quotas": {"time_ms": 0, "sz_bytes": "12 XB", "reset_interval_ms": "1 s"}}]}]}]}
        """;

    [Fact]
    public void BadSizeNamesFileAndJsonPath()
    {
        var e = Assert.Throws<ConfigException>(() => KdamondsJson.Read(TwoSchemes, "kdamonds.json"));
        Assert.Equal("kdamonds.json: kdamonds[0].contexts[0].schemes[1].quotas.sz_bytes: \"12 XB\" is not a size", e.Message);
        Assert.Equal("kdamonds[0].contexts[0].schemes[1].quotas.sz_bytes", e.Path);
    }

    [Fact]
    public void YamlErrorsUseTheSamePaths()
    {
        const string yaml = """
            kdamonds:
            - contexts:
              - ops: vaddr
                targets:
                - pid: 12
                  regions:
                  - start: 8K
                    end: 4K
            """;
        var e = Assert.Throws<ConfigException>(() => KdamondsYaml.Read(yaml, "k.yaml"));
        Assert.Equal("k.yaml: kdamonds[0].contexts[0].targets[0].regions[0]: start (8192) must be below end (4096)", e.Message);
    }

    [Theory]
    [InlineData("""{"kdamonds": [{"contexts": [{"ops": "xaddr"}]}]}""", "kdamonds[0].contexts[0].ops: \"xaddr\" is not one of vaddr, fvaddr, paddr")]
    [InlineData("""{"kdamonds": [{"contexts": [{"schemes": [{"action": "fly"}]}]}]}""", "kdamonds[0].contexts[0].schemes[0].action: \"fly\" is not one of")]
    [InlineData("""{"kdamonds": [{"contexts": [{"intervals": {"sample_us": "5 parsecs"}}]}]}""", "kdamonds[0].contexts[0].intervals.sample_us: \"5 parsecs\" is not a time (microseconds)")]
    [InlineData("""{"kdamonds": [{"contexts": [{"pause": "perhaps"}]}]}""", "kdamonds[0].contexts[0].pause: \"perhaps\" is not a boolean")]
    [InlineData("""{"kdamonds": [{"contexts": [{"schemes": [{"filters": [{"filter_type": "memcg", "matching": true}]}]}]}]}""", "kdamonds[0].contexts[0].schemes[0].filters[0].memcg_path: a memcg filter needs a cgroup path")]
    [InlineData("""{"kdamonds": [{"contexts": [{"schemes": [{"access_pattern": {"nr_accesses": {"min": "3 bananas", "max": "4 samples"}}}]}]}]}""", "kdamonds[0].contexts[0].schemes[0].access_pattern.nr_accesses.min: \"3 bananas\" is not a percentage or \"<n> samples\"")]
    [InlineData("""{"kdamonds": [{"contexts": [{"schemes": [{"quotas": {"goals": [{"metric": "node_mem_free_bp", "target_value": "lots"}]}}]}]}]}""", "kdamonds[0].contexts[0].schemes[0].quotas.goals[0].target_value: \"lots\" is not a ratio (basis points)")]
    [InlineData("""{"kdamonds": [7]}""", "kdamonds[0]: expected an object, found 7")]
    [InlineData("""{"kdamonds": [{"contexts": {"ops": "paddr"}}]}""", "kdamonds[0].contexts: expected a list")]
    [InlineData("""{"contexts": []}""", "missing the top-level \"kdamonds\" list")]
    public void SchemaErrors(string json, string expectedStart)
    {
        var e = Assert.Throws<ConfigException>(() => KdamondsJson.Read(json, "in.json"));
        Assert.StartsWith("in.json: " + expectedStart, e.Message);
    }

    [Fact]
    public void SyntaxErrorsNameTheLine()
    {
        var e = Assert.Throws<ConfigException>(() => KdamondsJson.Read("{\n  \"kdamonds\": [\n    {,\n  ]\n}", "bad.json"));
        Assert.StartsWith("bad.json: line 3, column", e.Message);
        var y = Assert.Throws<ConfigException>(() => KdamondsYaml.Read("kdamonds:\n  - a: [1, 2\n", "bad.yaml"));
        Assert.StartsWith("bad.yaml: line ", y.Message);
    }

    [Fact]
    public void EngineRejectionsNameTheContext()
    {
        var spec = KdamondsJson.Read("""{"kdamonds": [{"contexts": [{"ops": "paddr", "nr_regions": {"min": 2, "max": 100}}]}]}""");
        var e = Assert.Throws<ConfigException>(() => ContextMapping.ToEngine(spec));
        Assert.Equal("kdamonds[0].contexts[0]: rejected: min_nr_regions (2): must be at least 3", e.Message);

        spec = KdamondsJson.Read("""{"kdamonds": [{"contexts": [{"ops": "paddr", "intervals": {"sample_us": "10 ms", "aggr_us": "5 ms"}}]}]}""");
        e = Assert.Throws<ConfigException>(() => ContextMapping.ToEngine(spec));
        Assert.Contains("must not exceed aggr_interval", e.Message);

        spec = KdamondsJson.Read("""{"kdamonds": [{"contexts": [{"ops": "vaddr", "addr_unit": 4096}]}]}""");
        e = Assert.Throws<ConfigException>(() => ContextMapping.ToEngine(spec));
        Assert.Equal("kdamonds[0].contexts[0].addr_unit: only paddr supports an addr_unit other than 1", e.Message);

        spec = KdamondsJson.Read("""{"kdamonds": [{"contexts": [{"ops": "paddr", "schemes": [{"action": "stat", "quotas": {"goals": [{"metric": "node_mem_used_bp", "target_value": "50%"}]}}]}]}]}""");
        e = Assert.Throws<ConfigException>(() => ContextMapping.ToEngine(spec));
        Assert.Equal("kdamonds[0].contexts[0].schemes[0].quotas.goals[0].nid: node_mem_used_bp needs a node id", e.Message);
    }

    private sealed class NoCgroups : IMemcgResolver
    {
        public ulong IdOf(string path) => throw new ConfigException($"no cgroup at {path}");
        public string? PathOf(ulong id) => null;
    }

    [Fact]
    public void UnknownMemcgNamesThePath()
    {
        var spec = KdamondsBuilder.Build(["--damos_action", "stat", "--damos_filter", "allow", "memcg", "/nope", "-r", "0-1G"]);
        var e = Assert.Throws<ConfigException>(() => ContextMapping.ToEngine(spec, new NoCgroups()));
        Assert.Equal("kdamonds[0].contexts[0].schemes[0].filters[0].memcg_path: no cgroup at /nope", e.Message);
    }

    [Fact]
    public void OverlappingRegions()
    {
        var e = Assert.Throws<ConfigException>(() => KdamondsBuilder.Build(["-r", "0-8K 4K-12K"]));
        Assert.Equal("Wrong '--regions' argument (4K-12K: regions overlap)", e.Message);
    }

    [Theory]
    [InlineData("--numa_node 1", 1UL << 33, 1UL << 34)]
    [InlineData("--numa_node 0 1", 4096UL, 1UL << 34)]
    public void NumaNodesUseTheLayout(string args, ulong start, ulong end)
    {
        var spec = KdamondsBuilder.Build(args.Split(' '), GoldenMachineLayout.Create());
        Assert.Equal([new Schema.AddrRangeSpec(start, end)], spec.Kdamonds[0].Contexts[0].Targets[0].Regions);
    }

    [Theory]
    [InlineData("--numa_node 2", "--numa_node 2: the machine has no node 2 with memory")]
    [InlineData("--numa_node -1", "--numa_node: \"-1\" is not a node id")]
    public void NumaNodesMustExist(string args, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => KdamondsBuilder.Build(args.Split(' '), GoldenMachineLayout.Create()));
        Assert.Equal(expected, e.Message);
    }

    [Theory]
    [InlineData("--damos_action pageout --damos_quota_goal some_mem_psi_us 1ms", "'reset_interval_ms' not specified when setting quota goals")]
    [InlineData("--damos_action pageout --damos_quotas 10ms 1G --damos_quota_goal some_mem_psi_us 1ms", "'reset_interval_ms' not specified when setting quota goals")]
    [InlineData("--damos_age 1s 2s", "'damos_action' not specified while using --damos_* option(s) (--damos_age)")]
    [InlineData("--damos_action stat --damos_age 1s 2s --damos_age 3s 4s", "too much --damos_age")]
    [InlineData("--damos_action stat --damos_quotas 1 --damos_quota_interval 1s", "--damos_quotas and --damos_quota_interval cannot passed together")]
    [InlineData("--damos_action migrate_cold fast", "--damos_action: \"migrate_cold\" action require a numeric target_nid or dests arguments.")]
    [InlineData("--damos_action pageout 1", "--damos_action pageout 1: Wrong number of --damos_action arguments")]
    [InlineData("--damos_action fly", "--damos_action: wrong damos action: fly")]
    [InlineData("--damos_action stat --damos_filter allow colour red", "--damos_filter: unsupported filter type: colour")]
    [InlineData("--damos_action stat --damos_action stat --damos_filter allow anon", "--damos_nr_filters required")]
    [InlineData("--damos_action stat --damos_sz_region 12XB max", "--damos_sz_region: \"12XB\" is not a size")]
    [InlineData("--damos_action stat --damos_quotas 1 2 3 4 5 6 7", "Wrong --damos_quotas (1 2 3 4 5 6 7, >6 parameters)")]
    [InlineData("--damos_action stat --damos_quotas 0 1G 1s --damos_quota_goal node_mem_free_bp 1%", "--damos_quota_goal node_mem_free_bp 1%: nid is not given or something else is given")]
    [InlineData("--damos_action stat --damos_wmarks high 1s 1 2 3", "Wrong --damos_wmarks (high 1s 1 2 3, wrong watermark metric (high))")]
    [InlineData("--monitoring_intervals 5ms 100ms", "--monitoring_intervals: expected 3 arguments")]
    [InlineData("--frobnicate", "unrecognized argument: --frobnicate")]
    [InlineData("-r 8K-4K", "Wrong '--regions' argument (8K-4K: start >= end)")]
    [InlineData("--ops vaddr --ops paddr", "--nr_targets is required for multiple contexts")]
    [InlineData("--numa_node 0", "--numa_node needs the machine's memory layout")]
    [InlineData("--ops vaddr --target_pid 1 --numa_node 0", "--numa_node 0: only paddr targets take a node (this target's context is vaddr)")]
    [InlineData("--numa_node 0 -r 0-1G", "--numa_node 0: the same target has -r/--regions, which damo would use instead")]
    [InlineData("sleep", "target 'sleep' is not supported")]
    [InlineData("--ops vaddr --damon_addr_unit 4096", "only paddr supports non-one --damon_addr_unit")]
    public void OptionErrors(string args, string expectedStart)
    {
        var e = Assert.Throws<ConfigException>(() => KdamondsBuilder.Build(args.Split(' ')));
        Assert.StartsWith(expectedStart, e.Message);
    }
}
