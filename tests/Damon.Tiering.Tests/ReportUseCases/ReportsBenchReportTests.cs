using System.Text.Json;
using Damon.Tiering.ReportUseCases;
using Xunit;

namespace Damon.Tiering.Tests.ReportUseCases;

/// <summary>The JSON document's contract keys, from a result built by hand (interference rows included).</summary>
public class ReportsBenchReportTests
{
    private static ReportsBenchResult Built() => new(
        new ReportsBenchOptions { Seed = 7, DurationUs = 1_000_000 },
        new PlacementResult(
            new PlacementRun("first-touch", 0.5, 0.5, 2.0, 0, 64 << 20, 0, 0),
            new PlacementRun("damon-per-cpu", 0.1, 0.03, 1.25, 64 << 20, 64 << 20, 64 << 20, 1000),
            new PlacementRun("numa-balancing", 0.3, 0.04, 1.5, 60 << 20, 64 << 20, 60 << 20, 500),
            64 << 20),
        new WriteRankResult(["b", "a"], ["b", "a"], [new("a", 1, 100, 90), new("b", 2, 200, 210)], 5),
        new ThreadAttributionResult(AttributedBytes: 100, CorrectBytes: 96, TrueBytes: 98, NrWindows: 4),
        [new InterferenceRowView("exclusion", 0, 0.99, 4096, 1.01), new InterferenceRowView("interfere", 17, 0.7, 8192, 1.2)]);

    [Fact]
    public void The_contract_keys_carry_the_results()
    {
        using var doc = JsonDocument.Parse(ReportsBenchReport.ToJson(Built()));
        var root = doc.RootElement;
        Assert.Equal("damon-bench-reports/1", root.GetProperty("schema").GetString());
        var p = root.GetProperty("placement");
        Assert.Equal((0.5, 0.03, 2.0, 1.25), (p.GetProperty("remote_ratio_before").GetDouble(), p.GetProperty("remote_ratio_after").GetDouble(),
            p.GetProperty("runtime_before").GetDouble(), p.GetProperty("runtime_after").GetDouble()));
        Assert.Equal(0.1, p.GetProperty("remote_ratio_after_whole_run").GetDouble());
        Assert.Equal((0.04, 1.5), (p.GetProperty("numa_balancing").GetProperty("remote_ratio").GetDouble(),
            p.GetProperty("numa_balancing").GetProperty("runtime").GetDouble()));
        var w = root.GetProperty("write_rank");
        Assert.Equal(["b", "a"], w.GetProperty("expected").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(["b", "a"], w.GetProperty("ranked").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal("a", w.GetProperty("candidate").GetString());
        var a = root.GetProperty("thread_attribution");
        Assert.Equal((0.96, 96.0 / 98), (a.GetProperty("precision").GetDouble(), a.GetProperty("recall").GetDouble()));
        var rows = root.GetProperty("interference").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(["policy", "misattributed_faults", "recall", "promoted_bytes", "norm_runtime"], rows[1].EnumerateObject().Select(x => x.Name));
        Assert.Equal(("interfere", 17ul, 0.7, 8192ul, 1.2), (rows[1].GetProperty("policy").GetString(), rows[1].GetProperty("misattributed_faults").GetUInt64(),
            rows[1].GetProperty("recall").GetDouble(), rows[1].GetProperty("promoted_bytes").GetUInt64(), rows[1].GetProperty("norm_runtime").GetDouble()));
    }

    [Fact]
    public void The_table_says_whether_each_target_was_met()
    {
        string t = ReportsBenchReport.FormatTable(Built());
        Assert.Contains("placement: remote ratio 0.500 -> 0.030 once settled (target <= 0.050: met)", t);
        Assert.Contains("write rank: exact; live-migration candidate a (writes least; truth: a)", t);
        Assert.Contains("thread attribution: precision 0.960, recall 0.980 over 4 aggregations (target >= 0.950: met)", t);
        // The interference rows as a table after the use cases, text column left, numbers right.
        Assert.EndsWith(
            $"\n{"interference policy",-19}  {"misattributed faults",20}  {"recall",6}  {"promoted",8}  {"norm.runtime",12}\n"
            + $"{new string('-', 19)}  {new string('-', 20)}  {new string('-', 6)}  {new string('-', 8)}  {new string('-', 12)}\n"
            + $"{"exclusion",-19}  {"0",20}  {"0.990",6}  {"0.0 MiB",8}  {"1.010",12}\n"
            + $"{"interfere",-19}  {"17",20}  {"0.700",6}  {"0.0 MiB",8}  {"1.200",12}\n", t);
    }
}
