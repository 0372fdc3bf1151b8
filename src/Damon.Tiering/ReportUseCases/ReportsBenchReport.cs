using System.Globalization;
using System.Text;
using System.Text.Json;
using Damon.Shared;

namespace Damon.Tiering.ReportUseCases;

/// <summary><c>damon bench reports</c>'s table for people and its JSON document (schema "damon-bench-reports/1").</summary>
public static class ReportsBenchReport
{
    public const string Schema = "damon-bench-reports/1";
    /// <summary>The issue's targets: remote ratio after placement, attribution precision and recall.</summary>
    public const double RemoteRatioTarget = 0.05, AttributionTarget = 0.95;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string FormatTable(ReportsBenchResult r)
    {
        var p = r.Placement;
        var rows = new List<string[]>
        {
            new[] { "use case", "policy", "remote ratio", "settled", "runtime s", "migrated", "faults" },
        };
        foreach (var run in new[] { p.Before, p.Damon, p.NumaBalancing })
            rows.Add([
                "placement", run.Policy, F(run.RemoteRatio), F(run.RemoteRatioSettled), F(run.RuntimeS),
                Mib(run.MigratedBytes), run.Faults.ToString(Inv),
            ]);
        var sb = new StringBuilder();
        Table(sb, rows, textColumns: 2);
        sb.Append($"placement: remote ratio {F(p.Before.RemoteRatio)} -> {F(p.Damon.RemoteRatioSettled)} once settled " +
            $"(target <= {F(RemoteRatioTarget)}: {(p.Damon.RemoteRatioSettled <= RemoteRatioTarget ? "met" : "missed")}); " +
            $"pages next to their socket: B {Pages(p.Damon.BNodeBytes)} of {Pages(p.RegionBytes)}, A {Pages(p.Damon.ANodeBytes)} of {Pages(p.RegionBytes)}\n\n");

        var w = r.WriteRank;
        var wrows = new List<string[]> { new[] { "process", "true rank", "damon rank", "written MiB/s", "damon MiB/s" } };
        foreach (var e in w.Processes.OrderBy(e => w.Expected.ToList().IndexOf(e.Name)))
            wrows.Add([
                e.Name, (w.Expected.ToList().IndexOf(e.Name) + 1).ToString(Inv), (w.Ranked.ToList().IndexOf(e.Name) + 1).ToString(Inv),
                (e.TrueBytesPerS / (1 << 20)).ToString("F1", Inv), (e.DamonBytesPerS / (1 << 20)).ToString("F1", Inv),
            ]);
        Table(sb, wrows, textColumns: 1);
        sb.Append($"write rank: {(w.Exact ? "exact" : "NOT exact")}; live-migration candidate {w.Candidate} (writes least; truth: {w.ExpectedCandidate})\n\n");

        var a = r.ThreadAttribution;
        sb.Append($"thread attribution: precision {F(a.Precision)}, recall {F(a.Recall)} over {a.NrWindows} aggregations " +
            $"(target >= {F(AttributionTarget)}: {(a.Precision >= AttributionTarget && a.Recall >= AttributionTarget ? "met" : "missed")})\n");
        if (r.Interference.Count == 0)
        {
            sb.Append("interference: no rows\n");
            return sb.ToString();
        }
        // The fault-interference study (docs/results/fault-interference.md explains each policy and column).
        sb.Append('\n');
        var irows = new List<string[]> { new[] { "interference policy", "misattributed faults", "recall", "promoted", "norm.runtime" } };
        foreach (var i in r.Interference)
            irows.Add([i.Policy, i.MisattributedFaults.ToString(Inv), F(i.Recall), Mib(i.PromotedBytes), F(i.NormRuntime)]);
        Table(sb, irows, textColumns: 1);
        return sb.ToString();
    }

    public static string ToJson(ReportsBenchResult r)
    {
        using var ms = new MemoryStream();
        using (var j = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            j.WriteStartObject();
            j.WriteString("schema", Schema);
            j.WriteStartObject("options");
            j.WriteNumber("seed", r.Options.Seed);
            j.WriteNumber("duration_us", r.Options.DurationUs);
            j.WriteEndObject();

            var p = r.Placement;
            j.WriteStartObject("placement");
            j.WriteNumber("remote_ratio_before", p.Before.RemoteRatio);
            j.WriteNumber("remote_ratio_after", p.Damon.RemoteRatioSettled);
            j.WriteNumber("runtime_before", p.Before.RuntimeS);
            j.WriteNumber("runtime_after", p.Damon.RuntimeS);
            j.WriteString("runtime_unit", "s");
            j.WriteNumber("remote_ratio_after_whole_run", p.Damon.RemoteRatio);
            j.WriteNumber("best_remote_ratio", 1 - r.Options.Placement.OwnShare);
            j.WriteNumber("region_bytes", p.RegionBytes);
            Run(j, "damon", p.Damon);
            Run(j, "numa_balancing", p.NumaBalancing);
            j.WriteEndObject();

            var w = r.WriteRank;
            j.WriteStartObject("write_rank");
            Strings(j, "expected", w.Expected);
            Strings(j, "ranked", w.Ranked);
            j.WriteString("candidate", w.Candidate);
            j.WriteString("expected_candidate", w.ExpectedCandidate);
            j.WriteBoolean("exact", w.Exact);
            j.WriteNumber("windows", w.NrWindows);
            j.WriteStartArray("processes");
            foreach (var e in w.Processes)
            {
                j.WriteStartObject();
                j.WriteString("name", e.Name);
                j.WriteNumber("pid", e.Pid);
                j.WriteNumber("true_bytes_per_s", e.TrueBytesPerS);
                j.WriteNumber("damon_bytes_per_s", e.DamonBytesPerS);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();

            var a = r.ThreadAttribution;
            j.WriteStartObject("thread_attribution");
            j.WriteNumber("precision", a.Precision);
            j.WriteNumber("recall", a.Recall);
            j.WriteNumber("attributed_bytes", a.AttributedBytes);
            j.WriteNumber("correct_bytes", a.CorrectBytes);
            j.WriteNumber("true_bytes", a.TrueBytes);
            j.WriteNumber("windows", a.NrWindows);
            j.WriteEndObject();

            j.WriteStartArray("interference");
            foreach (var row in r.Interference)
            {
                j.WriteStartObject();
                j.WriteString("policy", row.Policy);
                j.WriteNumber("misattributed_faults", row.MisattributedFaults);
                j.WriteNumber("recall", row.Recall);
                j.WriteNumber("promoted_bytes", row.PromotedBytes);
                j.WriteNumber("norm_runtime", row.NormRuntime);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static void Run(Utf8JsonWriter j, string name, PlacementRun run)
    {
        j.WriteStartObject(name);
        j.WriteString("policy", run.Policy);
        j.WriteNumber("remote_ratio", run.RemoteRatioSettled);
        j.WriteNumber("remote_ratio_whole_run", run.RemoteRatio);
        j.WriteNumber("runtime", run.RuntimeS);
        j.WriteNumber("migrated_bytes", run.MigratedBytes);
        j.WriteNumber("a_on_socket0_node_bytes", run.ANodeBytes);
        j.WriteNumber("b_on_socket1_node_bytes", run.BNodeBytes);
        j.WriteNumber("faults", run.Faults);
        j.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter j, string name, IReadOnlyList<string> values)
    {
        j.WriteStartArray(name);
        foreach (var v in values) j.WriteStringValue(v);
        j.WriteEndArray();
    }

    private static string Pages(ulong bytes) => (bytes / 4096).ToString(Inv);
    private static string F(double v) => v.ToString("F3", Inv);
    private static string Mib(ulong bytes) => (bytes / (double)(1 << 20)).ToString("F1", Inv) + " MiB";

    private static void Table(StringBuilder sb, List<string[]> rows, int textColumns) =>
        TextTable.Append(sb, rows, textColumns, headerRule: true);
}
