using Damon.Modules.Common;
using Damon.Modules.Config;
using Damon.Modules.LruSort;
using Damon.Modules.Reclaim;
using Damon.Modules.Samples;
using Damon.Modules.Stat;
using Damon.Modules.Tier;
using Xunit;

namespace Damon.Modules.Tests.Config;

/// <summary>Module parameters read from and written to JSON and YAML with the kernel's names.</summary>
public class ModuleParamsFileTests
{
    private static readonly ReclaimParams ChangedReclaim = ReclaimParams.Default with
    {
        Enabled = true,
        MinAgeUs = 30_000_000,
        Quota = new ModuleQuota { Ms = 20, Sz = 1UL << 26, ResetIntervalMs = 500 },
        QuotaMemPressureUs = 1000,
        QuotaAutotuneFeedback = 3,
        AutotuneMonitoringIntervals = true,
        Wmarks = new ModuleWatermarks { IntervalUs = 1, High = 900, Mid = 800, Low = 100 },
        MonAttrs = new ModuleMonitoringAttrs { SampleIntervalUs = 1000, AggrIntervalUs = 20_000, MinNrRegions = 5, MaxNrRegions = 50 },
        MonitorRegionStart = 0x1000,
        MonitorRegionEnd = ulong.MaxValue,
        AddrUnit = 4096,
        SkipAnon = true,
    };

    private static void RoundTrip<T>(T p) where T : class, IModuleParams<T>
    {
        Assert.Equal(p, ModuleParamsFile.ParseJson<T>(ModuleParamsFile.ToJson(p)));
        Assert.Equal(p, ModuleParamsFile.ParseYaml<T>(ModuleParamsFile.ToYaml(p)));
    }

    [Fact]
    public void Every_module_round_trips_through_json_and_yaml()
    {
        RoundTrip(ReclaimParams.Default);
        RoundTrip(ChangedReclaim);
        RoundTrip(LruSortParams.Default with { ActiveMemBp = 5000, FilterYoungPages = true, HotThresAccessFreq = 1, ColdMinAgeUs = 2, Quota = new ModuleQuota { Ms = 3, ResetIntervalMs = 4 } });
        RoundTrip(TierParams.Default with { PromoteTargetNid = -1, DemoteTargetNid = 5, WeightAge = uint.MaxValue, FilterYoungPages = false, Quota = new ModuleQuota { Sz = 1 } });
        RoundTrip(StatParams.Default with { Enabled = true });
        RoundTrip(MtierParams.Default with { Node0EndAddr = 1UL << 30, Node1StartAddr = 1UL << 30, Node1EndAddr = 3UL << 30, DetectNodeAddresses = true });
        RoundTrip(new PrclParams { TargetPid = 1234 });
        RoundTrip(new WsseParams { TargetPid = 1, Enabled = true });
    }

    [Fact]
    public void Files_use_the_kernels_parameter_names_in_the_kernels_groups()
    {
        string yaml = ModuleParamsFile.ToYaml(ReclaimParams.Default);
        Assert.Equal(
            ["enabled", "min_age", "quota_ms", "quota_reset_interval_ms", "quota_sz", "quota_mem_pressure_us", "quota_autotune_feedback",
             "autotune_monitoring_intervals", "wmarks_interval", "wmarks_high", "wmarks_mid", "wmarks_low", "sample_interval",
             "aggr_interval", "min_nr_regions", "max_nr_regions", "monitor_region_start", "monitor_region_end", "addr_unit", "skip_anon"],
            yaml.Split('\n').Where(l => l.Contains(": ")).Select(l => l[..l.IndexOf(':')]));
        Assert.Contains("min_age: 120000000\n", yaml);
        Assert.Contains("\"quota_sz\": 134217728", ModuleParamsFile.ToJson(ReclaimParams.Default));
    }

    [Fact]
    public void Yaml_takes_kernel_booleans_hex_and_sysfs_names_and_defaults_the_rest()
    {
        var p = ModuleParamsFile.ParseYaml<ReclaimParams>("""
            damon_reclaim.enabled: Y
            skip_anon: n
            autotune_monitoring_intervals: on
            monitor_region_start: 0x100000
            monitor_region_end: 0x200000
            wmarks_high: 600
            """);
        Assert.Equal(ReclaimParams.Default with
        {
            Enabled = true,
            AutotuneMonitoringIntervals = true,
            MonitorRegionStart = 0x100000,
            MonitorRegionEnd = 0x200000,
            Wmarks = ReclaimParams.Default.Wmarks with { High = 600 },
        }, p);
        Assert.Equal(TierParams.Default, ModuleParamsFile.ParseYaml<TierParams>(""));
        Assert.Equal(TierParams.Default with { DemoteTargetNid = 2 }, ModuleParamsFile.ParseJson<TierParams>("{\"demote_target_nid\": \"2\"}"));
    }

    [Theory]
    [InlineData("{\"min_agee\": 1}", "min_agee", "is not a damon_reclaim parameter")]
    [InlineData("{\"min_age\": -1}", "min_age", "must be an unsigned integer")]
    [InlineData("{\"min_age\": 1.5}", "min_age", "must be an unsigned integer")]
    [InlineData("{\"skip_anon\": \"maybe\"}", "skip_anon", "must be a boolean")]
    [InlineData("{\"addr_unit\": 0}", "addr_unit", "must not be 0")]
    [InlineData("{\"min_nr_regions\": 2000}", "min_nr_regions", "must not exceed max_nr_regions")]
    [InlineData("{\"quota_ms\": 1, \"damon_reclaim.quota_ms\": 2}", "damon_reclaim.quota_ms", "is given more than once")]
    [InlineData("[1, 2]", "(document)", "must be a JSON object")]
    [InlineData("{\"min_age\": ", "(document)", "is not valid JSON")]
    public void Bad_json_names_the_file_the_field_and_the_rule(string json, string field, string rule)
    {
        var e = Assert.Throws<ModuleParamException>(() => ModuleParamsFile.ParseJson<ReclaimParams>(json, "reclaim.json"));
        Assert.Equal("reclaim.json", e.File);
        Assert.Equal(field, e.Field);
        Assert.StartsWith($"reclaim.json: {field}: ", e.Message);
        Assert.Contains(rule, e.Message);
    }

    [Theory]
    [InlineData("promote_target_nid: 3000000000", "promote_target_nid", "must be an integer in")]
    [InlineData("weight_age: 4294967296", "weight_age", "must fit in 32 bits")]
    [InlineData("quota_sz: [1, 2]", "quota_sz", "must be a single value")]
    [InlineData("- a\n- b", "(document)", "must be a YAML mapping")]
    [InlineData("a: [", "(document)", "is not valid YAML")]
    public void Bad_yaml_names_the_file_the_field_and_the_rule(string yaml, string field, string rule)
    {
        var e = Assert.Throws<ModuleParamException>(() => ModuleParamsFile.ParseYaml<TierParams>(yaml, "tier.yaml"));
        Assert.Equal(field, e.Field);
        Assert.StartsWith($"tier.yaml: {field}: ", e.Message);
        Assert.Contains(rule, e.Message);
    }

    [Fact]
    public void Files_are_read_and_written_by_extension()
    {
        string dir = Directory.CreateTempSubdirectory("damon-modules-").FullName;
        try
        {
            foreach (string name in new[] { "reclaim.json", "reclaim.yaml", "reclaim.yml" })
            {
                string path = Path.Combine(dir, name);
                ModuleParamsFile.Write(path, ChangedReclaim);
                Assert.Equal(ChangedReclaim, ModuleParamsFile.Read<ReclaimParams>(path));
            }
            string bad = Path.Combine(dir, "bad.yaml");
            File.WriteAllText(bad, "aggr_interval: 0\n");
            var e = Assert.Throws<ModuleParamException>(() => ModuleParamsFile.Read<ReclaimParams>(bad));
            Assert.Equal($"{bad}: aggr_interval: must not be 0", e.Message);
            Assert.Throws<ModuleParamException>(() => ModuleParamsFile.Read<ReclaimParams>(Path.Combine(dir, "reclaim.toml")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
