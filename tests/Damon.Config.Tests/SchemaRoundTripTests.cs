using Damon.Config.Args;
using Damon.Config.Io;
using Damon.Config.Schema;
using Xunit;

namespace Damon.Config.Tests;

public class SchemaRoundTripTests
{
    /// <summary>Every block of the schema with non-default values, including Damon's additions.</summary>
    private static KdamondsSpec Rich()
    {
        var spec = KdamondsBuilder.Build(
        [
            "--ops", "vaddr", "--target_pid", "42", "-r", "4096-1M 2M-3M",
            "--monitoring_intervals", "2ms", "40ms", "2s", "--monitoring_intervals_goal", "4%", "3", "1ms", "10ms",
            "--monitoring_nr_regions_range", "20", "200",
            "--damos_action", "migrate_hot", "0", "1", "1", "3", "--damos_sz_region", "8K", "1G",
            "--damos_access_rate", "5%", "80%", "--damos_age", "1 m 11.5 s", "max", "--damos_apply_interval", "1500ms",
            "--damos_quotas", "10ms", "100M", "1s", "7", "3", "2", "--damos_quota_goal", "node_memcg_free_bp", "12.34%", "1", "/a",
            "--damos_quota_goal_tuner", "temporal", "--damos_quota_fail_charge_ratio", "1", "4",
            "--damos_wmarks", "free_mem_rate", "5s", "60.5%", "400", "200",
            "--damos_filter", "reject", "none", "memcg", "/b", "allow", "addr", "4K", "8K", "allow", "target", "0",
            "--damos_filter", "reject", "hugepage_size", "2M", "2M",
            "--damos_max_nr_snapshots", "9",
            "--probe_filter", "allow", "non", "memcg", "/c", "--refresh_stat", "250",
        ]);
        var ctx = spec.Kdamonds[0].Contexts[0];
        ctx.Probes[0].Weight = 3;
        ctx.Pause = true;
        ctx.Targets[0].Obsolete = true;
        return spec;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void JsonWriteReadWriteIsStable(bool raw)
    {
        var text = KdamondsJson.Write(Rich(), raw);
        var back = KdamondsJson.Read(text);
        back.Kdamonds[0].State = null;
        Assert.Equal(text, KdamondsJson.Write(back, raw));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void YamlWriteReadWriteIsStable(bool raw)
    {
        var text = KdamondsYaml.Write(Rich(), raw);
        var back = KdamondsYaml.Read(text);
        Assert.Equal(text, KdamondsYaml.Write(back, raw));
    }

    [Fact]
    public void RawAndHumanFormsHoldTheSameValues()
    {
        var human = KdamondsJson.Read(KdamondsJson.Write(Rich(), raw: false));
        var raw = KdamondsJson.Read(KdamondsJson.Write(Rich(), raw: true));
        Assert.Equal(KdamondsJson.Write(human, true), KdamondsJson.Write(raw, true));
        var s = raw.Kdamonds[0].Contexts[0].Schemes[0];
        Assert.Equal(71_500_000UL, s.AccessPattern.AgeMin);
        Assert.Equal(1_234UL, s.Quotas.Goals[0].TargetValue);
        Assert.Equal(605UL, s.Watermarks.HighPermil);
        Assert.Equal(9UL, s.MaxNrSnapshots);
        Assert.Equal(3u, raw.Kdamonds[0].Contexts[0].Probes[0].Weight);
    }

    [Fact]
    public void JsonToYamlToJson()
    {
        var json = KdamondsJson.Write(Rich(), raw: false);
        var viaYaml = KdamondsYaml.Read(KdamondsYaml.Write(KdamondsJson.Read(json), raw: false));
        Assert.Equal(json, KdamondsJson.Write(viaYaml, raw: false));
    }

    [Fact]
    public void RawJsonHoldsNumbers()
    {
        var text = KdamondsJson.Write(Rich(), raw: true);
        Assert.Contains("\"sz_bytes\": 104857600", text);
        Assert.Contains("\"sample_us\": 2000", text);
        Assert.Contains("\"reset_interval_ms\": 1000,", text);
    }

    [Fact]
    public void LegacyKeysAreRead()
    {
        var spec = KdamondsJson.Read("""
            {"kdamonds": [{"contexts": [{"ops": "paddr", "targets": [{"pid": null, "regions": []}],
              "schemes": [{"action": "pageout",
                "quotas": {"time_ms": 0, "sz_bytes": "1 GiB", "reset_interval_ms": "1 s",
                           "goals": [{"target_value_bp": "10,000", "current_value_bp": 300}],
                           "weights": {"sz_permil": 1, "nr_accesses_permil": 2, "age_permil": 3}},
                "filters": [{"filter_type": "anon", "matching": "yes", "filter_pass": true}]}]}]}]}
            """);
        var s = spec.Kdamonds[0].Contexts[0].Schemes[0];
        Assert.Equal("user_input", s.Quotas.Goals[0].Metric);
        Assert.Equal(10_000UL, s.Quotas.Goals[0].TargetValue);
        Assert.Equal(300UL, s.Quotas.Goals[0].CurrentValue);
        Assert.True(s.Filters[0].Allow);
        Assert.True(s.Filters[0].Matching);
        Assert.Equal(2UL, s.Quotas.WeightNrAccessesPermil);
    }

    [Fact]
    public void MissingBlocksTakeDamoDefaults()
    {
        var spec = KdamondsJson.Read("""{"kdamonds": [{"contexts": [{"ops": "vaddr", "targets": [{"pid": 7, "regions": []}], "schemes": [{"action": "stat"}]}]}]}""");
        var c = spec.Kdamonds[0].Contexts[0];
        Assert.Equal(5_000UL, c.Intervals.SampleUs);
        Assert.Equal(100_000UL, c.Intervals.AggrUs);
        Assert.Equal(1_000_000UL, c.Intervals.OpsUpdateUs);
        Assert.Equal(10UL, c.NrRegions.Min);
        Assert.Equal(1000UL, c.NrRegions.Max);
        var s = c.Schemes[0];
        Assert.Equal(ulong.MaxValue, s.AccessPattern.SzMax);
        Assert.Equal(ulong.MaxValue, s.Quotas.ResetIntervalMs);
        Assert.Equal("consist", s.Quotas.GoalTuner);
        Assert.Equal("off", spec.Kdamonds[0].State);
    }

    [Fact]
    public void SampleAndAgeUnitsAreRead()
    {
        var spec = KdamondsYaml.Read("""
            kdamonds:
            - contexts:
              - ops: paddr
                targets: []
                schemes:
                - action: cold
                  access_pattern:
                    sz_bytes: {min: 4 KiB, max: max}
                    nr_accesses: {min: 2 samples, max: 10 samples}
                    age:
                      min: 5 aggr_intervals
                      max: 1,000 aggr_intervals
            """);
        var ap = spec.Kdamonds[0].Contexts[0].Schemes[0].AccessPattern;
        Assert.Equal(NrAccessesUnit.Samples, ap.NrAccessesUnit);
        Assert.Equal(2.0, ap.NrAccessesMin);
        Assert.Equal(10.0, ap.NrAccessesMax);
        Assert.Equal(AgeUnit.AggrIntervals, ap.AgeUnit);
        Assert.Equal(1_000UL, ap.AgeMax);
        Assert.Contains("\"min\": \"2 samples\"", KdamondsJson.Write(spec, false));
        Assert.Contains("\"max\": \"1,000 aggr_intervals\"", KdamondsJson.Write(spec, false));
    }

    [Fact]
    public void BareListOfKdamondsIsAccepted()
    {
        var spec = KdamondsJson.Read("""[{"state": "on", "pid": 123, "contexts": []}]""");
        Assert.Equal("on", spec.Kdamonds[0].State);
        Assert.Equal(123, spec.Kdamonds[0].Pid);
    }

    [Fact]
    public void FilesAreReadByExtension()
    {
        using var dir = new TempDir();
        var spec = Rich();
        KdamondsFile.Save(dir.File("k.yaml"), spec, raw: false);
        KdamondsFile.Save(dir.File("k.json"), spec, raw: true);
        Assert.StartsWith("kdamonds:", File.ReadAllText(dir.File("k.yaml")));
        var json = KdamondsJson.Write(spec, false);
        Assert.Equal(json, KdamondsJson.Write(KdamondsFile.Load(dir.File("k.yaml")), false).Replace("\"state\": \"off\",\n", ""));
        Assert.Equal(json, KdamondsJson.Write(KdamondsFile.Load(dir.File("k.json")), false));
    }
}
