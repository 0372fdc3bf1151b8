using System.Globalization;

namespace Damon.Cli.Simulation;

/// <summary>The end of a simulated run: per-node usage, page migrations and each scheme's DAMOS stats.</summary>
internal static class RunSummary
{
    public static void Write(TextWriter o, SimSession session)
    {
        var inv = CultureInfo.InvariantCulture;
        var b = session.Backend;
        o.Write(string.Create(inv, $"Per-node usage after {TextFormat.Seconds(b.NowUs)} of simulated time ({session.Sim.Workload.Name} on {session.Sim.Machine.Spec.Name}):\n"));
        var rows = new List<string[]> { new[] { "node", "tier", "total", "used", "free", "migrated in", "migrated out" } };
        var metrics = b.Nodes();
        foreach (var n in metrics.Nodes)
        {
            rows.Add([
                n.Node.ToString(inv), n.Tier.ToString(inv), Units.FormatBytes(n.TotalBytes), Units.FormatBytes(n.UsedBytes),
                Units.FormatBytes(n.FreeBytes), Units.FormatBytes(n.MigratedInBytes), Units.FormatBytes(n.MigratedOutBytes),
            ]);
        }
        TextFormat.Table(o, rows, leftAligned: 0, indent: "  ");
        o.Write(string.Create(inv,
            $"  promoted {Units.FormatBytes(metrics.PromotedBytes)}, demoted {Units.FormatBytes(metrics.DemotedBytes)}, reclaimed {Units.FormatBytes(metrics.ReclaimedBytes)}\n"));

        var schemeRows = new List<string[]> { new[] { "context", "scheme", "action", "nr_tried", "sz_tried", "nr_applied", "sz_applied", "qt_exceeds" } };
        var status = b.Status(triedRegions: false, CancellationToken.None);
        foreach (var sc in session.Contexts)
        {
            var schemes = session.StatusOf(status, sc).Schemes;
            for (int i = 0; i < schemes.Count; i++)
            {
                var s = schemes[i];
                var st = s.Stats!;
                schemeRows.Add([
                    $"{sc.KdamondIdx}.{sc.ContextIdx}", i.ToString(inv), s.Action,
                    st.NrTried.ToString(inv), Units.FormatBytes(st.SzTried),
                    st.NrApplied.ToString(inv), Units.FormatBytes(st.SzApplied), st.QtExceeds.ToString(inv),
                ]);
            }
        }
        if (schemeRows.Count > 1)
        {
            o.Write("\nDAMOS schemes:\n");
            TextFormat.Table(o, schemeRows, leftAligned: 3, indent: "  ");
        }
    }
}
