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
        Assert.Equal(Golden.Read(name + ".report"), KdamondsReport.Render(Build(name), raw: false));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Json(string name)
    {
        var ours = KdamondsJson.Write(Build(name), raw: false) + "\n";
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
        var ours = KdamondsYaml.Write(Build(name), raw: false) + "\n";
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
        var expected = KdamondsReport.Render(Build(name), raw: false);
        // Read specs carry damo's default state "off"; the options-built spec has no state.
        foreach (var k in fromJson.Kdamonds.Concat(fromYaml.Kdamonds)) k.State = null;
        if (name == "max_snapshots")
            Assert.All(Build(name).Kdamonds, k => Assert.Equal(5UL, k.Contexts[0].Schemes[0].MaxNrSnapshots));
        Assert.Equal(expected, KdamondsReport.Render(fromJson, raw: false));
        Assert.Equal(expected, KdamondsReport.Render(fromYaml, raw: false));
    }
}
