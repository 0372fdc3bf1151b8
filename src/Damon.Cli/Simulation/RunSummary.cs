using System.Globalization;
using Damon.Core.Schemes;
using Damon.Sim.Memory;

namespace Damon.Cli.Simulation;

/// <summary>The end of a simulated run: per-node usage, page migrations and each scheme's DAMOS stats.</summary>
internal static class RunSummary
{
    public static void Write(TextWriter o, SimSession session)
    {
        var inv = CultureInfo.InvariantCulture;
        var m = session.Sim.Machine;
        o.Write(string.Create(inv, $"Per-node usage after {TextFormat.Seconds(session.Sim.NowUs)} of simulated time ({session.Sim.Workload.Name} on {m.Spec.Name}):\n"));
        var rows = new List<string[]> { new[] { "node", "tier", "total", "used", "free", "migrated in", "migrated out" } };
        foreach (var n in NodeUsage.Of(m))
        {
            rows.Add([
                n.Node.ToString(inv), n.Tier.ToString(inv), Units.FormatBytes(n.TotalBytes), Units.FormatBytes(n.UsedBytes),
                Units.FormatBytes(n.FreeBytes), Units.FormatBytes(n.MigratedInBytes), Units.FormatBytes(n.MigratedOutBytes),
            ]);
        }
        TextFormat.Table(o, rows, leftAligned: 0, indent: "  ");
        o.Write(string.Create(inv,
            $"  promoted {Units.FormatBytes(m.NrPromotedPages << PageSizes.PageShift)}, demoted {Units.FormatBytes(m.NrDemotedPages << PageSizes.PageShift)}, reclaimed {Units.FormatBytes(m.NrReclaimedPages << PageSizes.PageShift)}\n"));

        var schemeRows = new List<string[]> { new[] { "context", "scheme", "action", "nr_tried", "sz_tried", "nr_applied", "sz_applied", "qt_exceeds" } };
        foreach (var sc in session.Contexts)
        {
            for (int i = 0; i < sc.Ctx.Schemes.Count; i++)
            {
                var s = sc.Ctx.Schemes[i];
                schemeRows.Add([
                    $"{sc.KdamondIdx}.{sc.ContextIdx}", i.ToString(inv), s.Action.SysfsName(),
                    s.Stat.NrTried.ToString(inv), Units.FormatBytes(s.Stat.SzTried),
                    s.Stat.NrApplied.ToString(inv), Units.FormatBytes(s.Stat.SzApplied), s.Stat.QtExceeds.ToString(inv),
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
