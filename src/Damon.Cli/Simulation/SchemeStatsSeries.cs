using System.Globalization;
using System.Text.Json;
using Damon.Config.Schema;

namespace Damon.Cli.Simulation;

/// <summary>One scheme at one point of <c>--stats_every</c>: its effective quota and cumulative stats.</summary>
internal sealed record SchemeStatsRow(int KdamondIdx, int ContextIdx, int SchemeIdx, string Action, ulong SampleUs, ulong AggrUs,
    ulong EszBytes, SchemeStatsSpec Stats);

/// <summary>Every scheme of the run at one simulated time, with the machine's migrations so far.</summary>
internal sealed record SchemeStatsPoint(ulong TimeUs, ulong PromotedBytes, ulong DemotedBytes, IReadOnlyList<SchemeStatsRow> Schemes);

/// <summary>
/// <c>damon sim --stats_every T</c>: the schemes' effective size quota (the kernel's
/// quotas/effective_bytes, damos_quota.esz), their stats and each context's current sample and
/// aggregation intervals, read from the status tree at the first slice end at or past every
/// multiple of T, so quota ramps and tuned intervals can be followed over a run.
/// </summary>
internal sealed class SchemeStatsSeries(SimSession session, ulong everyUs)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly List<SchemeStatsPoint> _points = [];
    private readonly ulong _everyUs = everyUs;
    private ulong _nextUs = everyUs;

    public IReadOnlyList<SchemeStatsPoint> Points => _points;

    /// <summary>The point taken at <paramref name="nowUs"/> when one is due, else null.</summary>
    public SchemeStatsPoint? SliceEnded(ulong nowUs)
    {
        if (nowUs < _nextUs)
            return null;
        while (_nextUs <= nowUs)
            _nextUs += _everyUs;
        var status = session.Backend.Status(triedRegions: false, CancellationToken.None);
        var rows = new List<SchemeStatsRow>();
        foreach (var sc in session.Contexts)
        {
            var c = session.StatusOf(status, sc);
            for (int i = 0; i < c.Schemes.Count; i++)
            {
                var s = c.Schemes[i];
                rows.Add(new SchemeStatsRow(sc.KdamondIdx, sc.ContextIdx, i, s.Action, c.Intervals.SampleUs, c.Intervals.AggrUs,
                    s.Quotas.EffectiveSzBytes, s.Stats!));
            }
        }
        var nodes = session.Backend.Nodes();
        var point = new SchemeStatsPoint(nowUs, nodes.PromotedBytes, nodes.DemotedBytes, rows);
        _points.Add(point);
        return point;
    }

    public static void WriteText(TextWriter o, SchemeStatsPoint p)
    {
        foreach (var r in p.Schemes)
            o.Write(string.Create(Inv,
                $"t={TextFormat.Seconds(p.TimeUs)}  scheme {r.KdamondIdx}.{r.ContextIdx}.{r.SchemeIdx} {r.Action}  sample {TextFormat.Time(r.SampleUs)}  aggr {TextFormat.Time(r.AggrUs)}  esz {Units.FormatBytes(r.EszBytes)}  tried {r.Stats.NrTried} ({Units.FormatBytes(r.Stats.SzTried)})  applied {r.Stats.NrApplied} ({Units.FormatBytes(r.Stats.SzApplied)})  qt_exceeds {r.Stats.QtExceeds}\n"));
        o.Write(string.Create(Inv,
            $"t={TextFormat.Seconds(p.TimeUs)}  promoted {Units.FormatBytes(p.PromotedBytes)}, demoted {Units.FormatBytes(p.DemotedBytes)}\n\n"));
    }

    public static void WriteJson(Utf8JsonWriter w, IReadOnlyList<SchemeStatsPoint> points)
    {
        w.WriteStartArray("scheme_stats");
        foreach (var p in points)
        {
            w.WriteStartObject();
            w.WriteNumber("time_us", p.TimeUs);
            w.WriteNumber("promoted_bytes", p.PromotedBytes);
            w.WriteNumber("demoted_bytes", p.DemotedBytes);
            w.WriteStartArray("schemes");
            foreach (var r in p.Schemes)
            {
                w.WriteStartObject();
                w.WriteNumber("kdamond_idx", r.KdamondIdx);
                w.WriteNumber("context_idx", r.ContextIdx);
                w.WriteNumber("scheme_idx", r.SchemeIdx);
                w.WriteString("action", r.Action);
                w.WriteNumber("sample_us", r.SampleUs);
                w.WriteNumber("aggr_us", r.AggrUs);
                w.WriteNumber("esz_bytes", r.EszBytes);
                SimJson.StatsJson(w, r.Stats);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
