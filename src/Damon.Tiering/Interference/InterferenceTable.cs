using System.Globalization;
using System.Text;

namespace Damon.Tiering.Interference;

/// <summary>The study as a Markdown table (docs/results/fault-interference.md prints it).</summary>
public static class InterferenceTable
{
    public static string Markdown(FaultInterferenceResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| policy | misattributed faults (DAMON took NUMA's / NUMA took DAMON's) | DAMON faults lost | recall | precision | promoted | norm. runtime | fault overhead | faults | switch cost |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        var b = r.Baseline;
        sb.AppendLine(string.Create(inv,
            $"| {FaultInterferenceStudy.BaselineName} (no DAMON) | – | – | – | – | {Mib(r.BaselinePromotedBytes)} | 1.000 | {b.FaultOverhead * 100:F2} % | {b.NrFaults} | – |"));
        for (int i = 0; i < r.Rows.Count; i++)
        {
            var row = r.Rows[i];
            var d = r.Details[i];
            string sw = d.NrSwitches == 0 ? "–" : string.Create(inv, $"{d.NrSwitches} switches, {d.MarksRemoved} marks removed, {d.SwitchCostNs / 1e6:F1} ms");
            sb.AppendLine(string.Create(inv,
                $"| {row.Policy} | {row.MisattributedFaults} ({d.DamonCountedNumaFaults} / {d.NumaHandledDamonFaults}) | {d.DamonFaultsLost} | {row.Recall:F3} | {d.Precision:F3} | {Mib(row.PromotedBytes)} | {row.NormRuntime:F3} | {d.FaultOverhead * 100:F2} % | {d.NrFaults} | {sw} |"));
        }
        return sb.ToString();
    }

    private static string Mib(ulong bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):F1} MiB");
}
