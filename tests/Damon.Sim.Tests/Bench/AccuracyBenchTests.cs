using System.Text.Json;
using Damon.Core.Monitoring;
using Damon.Sim.Bench;
using Damon.Sim.GroundTruth;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests.Bench;

public class AccuracyBenchTests
{
    private const ulong Page = 4096;

    private static Target Layout(params (ulong Start, ulong End, uint NrAccesses)[] regions)
    {
        var t = new Target(1);
        foreach (var (s, e, nr) in regions)
        {
            var r = t.NewRegion(s, e);
            r.NrAccesses = nr;
            t.AddRegion(r);
        }
        return t;
    }

    [Fact]
    public void OracleLayoutAgainstTheHotRangeScoresOne()
    {
        var t = Layout((0, 900 * Page, 0), (900 * Page, 1000 * Page, 7));
        var s = AccuracyBench.ScoreAgainstRange(t, 900 * Page, 1000 * Page, 1);
        Assert.Equal((100 * Page, 100 * Page, 100 * Page), (s.TrueHotBytes, s.PredictedHotBytes, s.CorrectBytes));
        Assert.Equal(1.0, s.Recall);
        Assert.Equal(1.0, s.Precision);
    }

    [Fact]
    public void ShiftedLayoutAgainstTheHotRangeScoresByOverlap()
    {
        // Hot region [800, 950) pages overlaps the true hot range [900, 1000) by 50 pages.
        var t = Layout((0, 800 * Page, 0), (800 * Page, 950 * Page, 3), (950 * Page, 1000 * Page, 0));
        var s = AccuracyBench.ScoreAgainstRange(t, 900 * Page, 1000 * Page, 1);
        Assert.Equal(0.5, s.Recall, 12);
        Assert.Equal(50.0 / 150, s.Precision, 12);
        // A threshold above the region's count calls nothing hot.
        var none = AccuracyBench.ScoreAgainstRange(t, 900 * Page, 1000 * Page, 4);
        Assert.Equal(0UL, none.PredictedHotBytes);
        Assert.Equal(0.0, none.Recall);
    }

    [Fact]
    public void TotalsAreByteSumsAndPrecisionIsUndefinedWithoutPredictions()
    {
        var t = new HotSetTotals(0, 0, 0).Add(100, 0, 0).Add(100, 200, 100);
        Assert.Equal(0.5, t.Recall);
        Assert.Equal(0.5, t.Precision);
        Assert.Null(new HotSetTotals(100, 0, 0).Precision);
        Assert.Null(new HotSetTotals(0, 0, 0).Recall);
    }

    [Fact]
    public void OracleLayoutAgainstGroundTruthScoresOne()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 16 * Page);
        Touch(m, tid, a, 16 * Page);          // all 16 pages resident
        m.EnableGroundTruth();
        Touch(m, tid, a + 4 * Page, 4 * Page); // pages 4..7 hot in this window
        var w = m.GroundTruth!.CloseWindow(1_000_000);

        var oracle = Layout((a, a + 4 * Page, 0), (a + 4 * Page, a + 8 * Page, 5), (a + 8 * Page, a + 16 * Page, 0));
        var s = AccuracyScore.HotSet(m, w, pid, oracle, r => r.NrAccesses >= 1);
        Assert.Equal((4 * Page, 4 * Page, 4 * Page), (s.TrueHotBytes, s.PredictedHotBytes, s.CorrectBytes));

        var shifted = Layout((a, a + 6 * Page, 0), (a + 6 * Page, a + 10 * Page, 5), (a + 10 * Page, a + 16 * Page, 0));
        var h = AccuracyScore.HotSet(m, w, pid, shifted, r => r.NrAccesses >= 1);
        Assert.Equal(0.5, h.Recall);
        Assert.Equal(0.5, h.Precision);
    }

    [Fact]
    public void ConfigIsTwoRegionsWithTheHotOneAccessedAtRandom()
    {
        var c = AccuracyBench.Config(10UL << 20, 100);
        Assert.Equal(["cold", "hot"], c.Regions.Select(r => r.Name));
        Assert.Equal(10UL << 20, c.TotalSizeBytes);
        Assert.Equal((10UL << 20) / 10 & ~(Page - 1), c.Regions[1].SizeBytes);
        var p = Assert.Single(Assert.Single(c.Phases).Patterns);
        Assert.Equal(1, p.RegionIndex);
        Assert.True(p.Random);
    }

    [Fact]
    public void TinyRunProducesScoredWindowsAndTheJsonSchema()
    {
        var o = new AccuracyOptions
        {
            FootprintsBytes = [4UL << 20],
            Modes = [AccuracyMode.Default, AccuracyMode.Tuned],
            WarmupUs = 300_000,
            TunedWarmupUs = 300_000,
            DurationUs = 500_000,
            MaxGroundTruthWindows = 2,
            Seed = 7,
        };
        var results = new AccuracyBench(o).Run();
        Assert.Equal(2, results.Count);
        foreach (var r in results)
        {
            Assert.True(r.NrWindows >= o.MinWindows);
            Assert.Equal(2, r.NrGroundTruthWindows);
            // Ground truth counts only through those two windows, from their starts: each saw every hot page.
            Assert.Equal(2 * r.HotBytes, r.Window.TrueHotBytes);
            Assert.Equal(r.HotBytes * (ulong)r.NrWindows, r.Design.TrueHotBytes);
            // 102 hot pages against ~11 M accesses per simulated second: every window sees them all,
            // and DAMON, sampling them 20 times per window, finds every region of them.
            Assert.True(r.Design.Recall >= 0.9, $"{r.Mode}: recall {r.Design.Recall}");
            Assert.True(r.Design.Precision >= 0.9, $"{r.Mode}: precision {r.Design.Precision}");
            Assert.InRange(r.RateError!.Value, 0, 1);
            Assert.True(r.SimulatedS >= 0.8);
        }

        var doc = JsonDocument.Parse(AccuracyReport.ToJson(o, results, DateTimeOffset.UnixEpoch));
        var root = doc.RootElement;
        Assert.Equal(AccuracyReport.Schema, root.GetProperty("schema").GetString());
        Assert.Equal("1970-01-01T00:00:00Z", root.GetProperty("date").GetString());
        Assert.Equal(7UL, root.GetProperty("options").GetProperty("seed").GetUInt64());
        var cases = root.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(["default", "tuned"], cases.Select(c => c.GetProperty("attrs").GetString()));
        foreach (var (c, r) in cases.Zip(results))
        {
            Assert.Equal(4UL << 20, c.GetProperty("footprint_bytes").GetUInt64());
            foreach (var score in new[] { "design", "window" })
            {
                var s = c.GetProperty(score);
                foreach (var key in new[] { "true_hot_bytes", "predicted_hot_bytes", "correct_bytes", "recall", "precision" })
                    Assert.True(s.TryGetProperty(key, out _), $"{score}.{key}");
            }
            Assert.Equal(r.Design.Recall!.Value, c.GetProperty("design").GetProperty("recall").GetDouble(), 12);
            foreach (var key in new[] { "rate_error", "nr_windows", "mean_nr_regions", "sample_interval_us", "aggr_interval_us",
                "simulated_s", "accesses_per_sim_s", "engine_ms_per_sim_s", "machine_ms_per_sim_s", "wall_s" })
                Assert.True(c.TryGetProperty(key, out _), key);
        }

        var table = AccuracyReport.FormatTable(results);
        Assert.Equal(2 + results.Count, table.TrimEnd('\n').Split('\n').Length);
        Assert.Contains("| 4 MiB     | default |", table);
    }

    [Fact]
    public void MovingConfigHasTwoHotSizedRegionsAndSwitchesAtTheMove()
    {
        var c = AccuracyBench.MovingConfig(10UL << 20, 100, 1500);
        Assert.Equal(["cold", "hot", "hot2"], c.Regions.Select(r => r.Name));
        Assert.Equal(10UL << 20, c.TotalSizeBytes);
        ulong hot = (10UL << 20) / 10 & ~(Page - 1);
        Assert.Equal([(10UL << 20) - 2 * hot, hot, hot], c.Regions.Select(r => r.SizeBytes));
        Assert.Equal([1500u, uint.MaxValue], c.Phases.Select(p => p.TimeMs));
        Assert.Equal([1, 2], c.Phases.Select(p => Assert.Single(p.Patterns).RegionIndex));
    }

    private static AccuracyOptions Tiny(params AccuracyMode[] modes) => new()
    {
        FootprintsBytes = [4UL << 20],
        Modes = modes,
        HotSets = [HotSetMotion.Stable, HotSetMotion.Moving],
        WarmupUs = 300_000,
        DurationUs = 500_000,
        MaxGroundTruthWindows = 1,
        Seed = 7,
    };

    [Fact]
    public void MovingHotSetScoresAReactionWithinAWindowOrTwoAtTinyFootprints()
    {
        var o = Tiny(AccuracyMode.Default, AccuracyMode.Ptp);
        var results = new AccuracyBench(o).Run();
        Assert.Equal([(AccuracyMode.Default, HotSetMotion.Stable), (AccuracyMode.Ptp, HotSetMotion.Stable),
            (AccuracyMode.Default, HotSetMotion.Moving), (AccuracyMode.Ptp, HotSetMotion.Moving)],
            results.Select(r => (r.Mode, r.Motion)));
        foreach (var r in results.Where(r => r.Motion == HotSetMotion.Stable))
        {
            Assert.Null(r.ReactionS);
            Assert.Null(r.ReactionLimitS);
            Assert.Equal("-", AccuracyBench.ReactionText(r));
        }
        foreach (var r in results.Where(r => r.Motion == HotSetMotion.Moving))
        {
            // 102 new hot pages against ~11 M accesses/s: all of them are walked in every 5 ms sample,
            // so the regions re-form within a few 100 ms windows; the reaction ends on a window boundary.
            Assert.NotNull(r.ReactionS);
            Assert.InRange(r.ReactionS!.Value, 0.05, 0.5);
            Assert.Equal(0, Math.Round(r.ReactionS.Value * 1e6) % 100_000, 0);
            Assert.True(r.Design.Recall >= 0.9, $"{r.Mode}: recall {r.Design.Recall}");
            Assert.Equal(r.HotBytes * (ulong)r.NrWindows, r.Design.TrueHotBytes);
        }
        var doc = JsonDocument.Parse(AccuracyReport.ToJson(o, results, DateTimeOffset.UnixEpoch));
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(["default", "ptp", "default", "ptp"], cases.Select(c => c.GetProperty("attrs").GetString()));
        Assert.Equal(["stable", "stable", "moving", "moving"], cases.Select(c => c.GetProperty("hot_set").GetString()));
        foreach (var (c, r) in cases.Zip(results))
        {
            Assert.Equal(r.Design.Recall!.Value, c.GetProperty("recall").GetDouble(), 12);
            Assert.Equal(r.Design.Precision!.Value, c.GetProperty("precision").GetDouble(), 12);
            Assert.Equal(r.EngineMsPerSimS, c.GetProperty("engine_cpu_ms_per_sim_s").GetDouble(), 12);
            if (r.ReactionS is { } s) Assert.Equal(s, c.GetProperty("reaction_s").GetDouble(), 12);
            else Assert.Equal(JsonValueKind.Null, c.GetProperty("reaction_s").ValueKind);
        }
    }

    [Fact]
    public void AnUnreachableRecallIsANeverReactionUpToTheCap()
    {
        var o = Tiny(AccuracyMode.Ptp) with { HotSets = [HotSetMotion.Moving], ReactionRecall = 1.01, ReactionCapUs = 2_000_000 };
        var r = Assert.Single(new AccuracyBench(o).Run());
        Assert.Null(r.ReactionS);
        // The run watched until the cap (run steps are 1 s of simulated time at most).
        Assert.InRange(r.ReactionLimitS!.Value, 2.0, 3.0);
        Assert.StartsWith("never (> ", AccuracyBench.ReactionText(r));
    }
}
