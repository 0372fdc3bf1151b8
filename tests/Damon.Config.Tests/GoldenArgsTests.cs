using System.Text.Json.Nodes;
using Damon.Config.Args;
using Damon.Config.Io;
using Damon.Config.Report;
using Xunit;

namespace Damon.Config.Tests;

/// <summary>
/// `args damon` output compared byte for byte with what damo v3.3.0 printed for the same options
/// (Golden/*.json|yaml|report, made by running damo itself; Golden/cases.txt lists the options).
/// </summary>
public class GoldenArgsTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in Golden.Cases()) data.Add(name);
        return data;
    }

    private static Schema.KdamondsSpec Build(string name) => KdamondsBuilder.Build(Golden.Args(name), GoldenMachineLayout.Create());

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Report(string name) =>
        Assert.Equal(Golden.Read(name + ".report"), WithoutEligibleNids(name, KdamondsReport.Render(Build(name), raw: false), "", " (nid {0})"));

    /// <summary>
    /// damo 3.3 takes node_eligible_mem_bp's nid argument and drops it (damos_options_to_quota_goal
    /// and metric_require_nid know only the node_mem and node_memcg metrics), so its output for
    /// interleave_goals has no nid where Damon keeps 0 and 1 (docs/kernel-differences.md). For that
    /// case only, <paramref name="text"/>'s nids become damo's <paramref name="none"/> after checking
    /// they are there, written as <paramref name="format"/>.
    /// </summary>
    private static string WithoutEligibleNids(string name, string text, string none, string format)
    {
        if (name != "interleave_goals") return text;
        foreach (int nid in new[] { 0, 1 })
        {
            string ours = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, nid);
            Assert.Contains(ours, text, StringComparison.Ordinal);
            text = text.Replace(ours, string.Format(System.Globalization.CultureInfo.InvariantCulture, none, nid), StringComparison.Ordinal);
        }
        return text;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Json(string name)
    {
        var ours = WithoutEligibleNids(name, KdamondsJson.Write(Build(name), raw: false) + "\n", "\"nid\": null", "\"nid\": \"{0}\"");
        var damo = Golden.Read(name + ".json");
        if (name == "max_snapshots")
        {
            // Damon keeps --damos_max_nr_snapshots, which damo's `args damon` drops.
            var node = JsonNode.Parse(ours)!;
            Assert.Equal("5", node["kdamonds"]![0]!["contexts"]![0]!["schemes"]![0]!["max_nr_snapshots"]!.GetValue<string>());
            node["kdamonds"]![0]!["contexts"]![0]!["schemes"]![0]!.AsObject().Remove("max_nr_snapshots");
            ours = KdamondsJson.Write(node) + "\n";
        }
        Assert.Equal(damo, ours);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Yaml(string name)
    {
        var ours = WithoutEligibleNids(name, KdamondsYaml.Write(Build(name), raw: false) + "\n", "nid: null", "nid: '{0}'");
        if (name == "max_snapshots")
            ours = ours.Replace("      max_nr_snapshots: '5'\n", "", StringComparison.Ordinal);
        Assert.Equal(Golden.Read(name + ".yaml"), ours);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void DamoOutputReadsBackToTheSameSpec(string name)
    {
        var fromJson = KdamondsJson.Read(Golden.Read(name + ".json"), name + ".json");
        var fromYaml = KdamondsYaml.Read(Golden.Read(name + ".yaml"), name + ".yaml");
        var expected = WithoutEligibleNids(name, KdamondsReport.Render(Build(name), raw: false), " (nid None)", " (nid {0})");
        // Read specs carry damo's default state "off"; the options-built spec has no state.
        foreach (var k in fromJson.Kdamonds.Concat(fromYaml.Kdamonds)) k.State = null;
        if (name == "max_snapshots")
            Assert.All(Build(name).Kdamonds, k => Assert.Equal(5UL, k.Contexts[0].Schemes[0].MaxNrSnapshots));
        Assert.Equal(expected, KdamondsReport.Render(fromJson, raw: false));
        Assert.Equal(expected, KdamondsReport.Render(fromYaml, raw: false));
    }
}
