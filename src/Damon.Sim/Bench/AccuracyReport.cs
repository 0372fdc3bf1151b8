using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Damon.Sim.Bench;

/// <summary>The accuracy benchmark's terminal table and JSON document (schema "damon-bench-accuracy/1").</summary>
public static class AccuracyReport
{
    public const string Schema = "damon-bench-accuracy/1";

    public const string HotSetDefinition =
        "Per aggregation window (damon_aggregated, after merge, before reset) that starts after the warm-up: " +
        "DAMON's hot set is the bytes of the target's regions with nr_accesses >= hot_min_nr_accesses. " +
        "design: true hot set = the masim 'hot' region; window: true hot set = resident pages the ground " +
        "truth counted at least once in the same window. recall = correct/true, precision = correct/predicted, " +
        "byte sums over the scored windows. reaction_s (moving hot set only): seconds from the move to the end of the " +
        "first window ending after it whose design recall of the new hot region is >= reaction_recall; null if none " +
        "within reaction_limit_s.";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string FormatTable(IReadOnlyList<AccuracyCaseResult> results)
    {
        string[] head = ["footprint", "attrs", "hot set", "recall", "precision", "win recall", "win prec", "rate err", "reaction s", "regions",
            "sample/aggr", "sim s", "engine cpu ms/sim s", "machine cpu ms/sim s", "wall s"];
        var rows = new List<string[]> { head };
        foreach (var r in results)
        {
            rows.Add([
                AccuracyBench.Fmt(r.FootprintBytes), AccuracyBench.Name(r.Mode), AccuracyBench.Name(r.Motion),
                Pct(r.Design.Recall), Pct(r.Design.Precision), Pct(r.Window.Recall), Pct(r.Window.Precision),
                r.RateError is { } e ? (e * 100).ToString("F1", Inv) + " %" : "-",
                AccuracyBench.ReactionText(r),
                r.MeanNrRegions.ToString("F0", Inv),
                $"{Ms(r.SampleIntervalUs)}/{Ms(r.AggrIntervalUs)}",
                r.SimulatedS.ToString("F0", Inv),
                r.EngineMsPerSimS.ToString("F2", Inv),
                r.MachineMsPerSimS.ToString("F0", Inv),
                r.WallS.ToString("F1", Inv),
            ]);
        }
        var width = new int[head.Length];
        foreach (var row in rows)
            for (int i = 0; i < row.Length; i++) width[i] = Math.Max(width[i], row[i].Length);
        var sb = new StringBuilder();
        for (int n = 0; n < rows.Count; n++)
        {
            var row = rows[n];
            sb.Append("| ");
            for (int i = 0; i < row.Length; i++)
            {
                // Text columns left-aligned, numbers right-aligned.
                sb.Append(i < 3 ? row[i].PadRight(width[i]) : row[i].PadLeft(width[i]));
                sb.Append(i + 1 < row.Length ? " | " : " |");
            }
            sb.Append('\n');
            if (n == 0)
            {
                sb.Append('|');
                for (int i = 0; i < head.Length; i++)
                    sb.Append(i < 3 ? ":" + new string('-', width[i] + 1) : new string('-', width[i] + 1) + ":").Append('|');
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    public static string ToJson(AccuracyOptions o, IReadOnlyList<AccuracyCaseResult> results, DateTimeOffset when)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("date", when.ToString("yyyy-MM-ddTHH:mm:ssZ", Inv));
            w.WriteString("hot_set_definition", HotSetDefinition);
            w.WriteStartObject("options");
            w.WriteNumber("seed", o.Seed);
            w.WriteNumber("hot_permil", o.HotPermil);
            w.WriteNumber("warmup_us", o.WarmupUs);
            w.WriteNumber("tuned_warmup_us", o.TunedWarmupUs);
            w.WriteNumber("duration_us", o.DurationUs);
            w.WriteNumber("min_windows", o.MinWindows);
            w.WriteNumber("max_ground_truth_windows", o.MaxGroundTruthWindows);
            w.WriteNumber("hot_min_nr_accesses", o.HotMinNrAccesses);
            w.WriteNumber("reaction_recall", o.ReactionRecall);
            w.WriteNumber("reaction_cap_us", o.ReactionCapUs);
            w.WriteNumber("ptp_pmd_span", 1 << o.PtpPmdSpanShift);
            w.WriteBoolean("host_huge_pages", o.HostHugePages);
            w.WriteEndObject();
            w.WriteStartArray("cases");
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteNumber("footprint_bytes", r.FootprintBytes);
                w.WriteString("attrs", AccuracyBench.Name(r.Mode));
                w.WriteString("hot_set", AccuracyBench.Name(r.Motion));
                w.WriteNumber("hot_bytes", r.HotBytes);
                // The design score's headline pair, at the top level as issue 14's contract asks.
                Num(w, "recall", r.Design.Recall);
                Num(w, "precision", r.Design.Precision);
                Num(w, "reaction_s", r.ReactionS);
                Num(w, "reaction_limit_s", r.ReactionLimitS);
                Totals(w, "design", r.Design);
                Totals(w, "window", r.Window);
                Num(w, "rate_error", r.RateError);
                w.WriteNumber("nr_windows", r.NrWindows);
                w.WriteNumber("nr_ground_truth_windows", r.NrGroundTruthWindows);
                w.WriteNumber("mean_nr_regions", r.MeanNrRegions);
                w.WriteNumber("sample_interval_us", r.SampleIntervalUs);
                w.WriteNumber("aggr_interval_us", r.AggrIntervalUs);
                w.WriteNumber("simulated_s", r.SimulatedS);
                w.WriteNumber("accesses_per_sim_s", r.AccessesPerSimS);
                w.WriteNumber("engine_ms_per_sim_s", r.EngineMsPerSimS);
                w.WriteNumber("engine_cpu_ms_per_sim_s", r.EngineMsPerSimS);
                w.WriteNumber("machine_ms_per_sim_s", r.MachineMsPerSimS);
                w.WriteString("cpu_clock", r.CpuClock);
                w.WriteNumber("scoring_s", r.ScoringS);
                w.WriteNumber("wall_s", r.WallS);
                w.WriteNumber("populate_wall_s", r.PopulateWallS);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static void Totals(Utf8JsonWriter w, string name, HotSetTotals t)
    {
        w.WriteStartObject(name);
        w.WriteNumber("true_hot_bytes", t.TrueHotBytes);
        w.WriteNumber("predicted_hot_bytes", t.PredictedHotBytes);
        w.WriteNumber("correct_bytes", t.CorrectBytes);
        Num(w, "recall", t.Recall);
        Num(w, "precision", t.Precision);
        w.WriteEndObject();
    }

    private static void Num(Utf8JsonWriter w, string name, double? v)
    {
        if (v is { } x) w.WriteNumber(name, x);
        else w.WriteNull(name);
    }

    private static string Pct(double? v) => v is { } x ? (x * 100).ToString("F1", Inv) + " %" : "-";

    private static string Ms(ulong us) => us % 1000 == 0 ? (us / 1000).ToString(Inv) : (us / 1000.0).ToString("F1", Inv);
}
