using Damon.Core.Sampling;
using Damon.Host.Snapshots;
using Damon.Records.Model;

namespace Damon.Host.Records;

/// <summary>
/// Turns every aggregation snapshot of every context into damo's record model: one
/// <see cref="DamonRecord"/> per (kdamond, context, target) with the context's intervals, and per
/// snapshot its start and end time (ns on the backend's clock) and regions with nr_accesses in
/// samples and age in aggregation intervals — what damo records from the damon_aggregated tracepoint.
/// </summary>
public sealed class RecordCollector
{
    private readonly Dictionary<(BackendContext, int), DamonRecord> _records = [];
    private readonly List<DamonRecord> _ordered = [];
    private readonly Dictionary<BackendContext, ulong> _lastEndUs = [];

    public int NrSnapshots { get; private set; }

    /// <summary>
    /// cpu_to_node() of the machine, written into every record (<see cref="DamonRecord.CpuToNode"/>)
    /// so a report can break accesses down by the node of the CPU; set before the first snapshot.
    /// </summary>
    public IReadOnlyDictionary<int, int>? CpuToNode { get; init; }

    public void Add(AggregationSnapshot s)
    {
        var sc = s.Context;
        ulong startUs = _lastEndUs.GetValueOrDefault(sc, s.TimeUs >= s.Attrs.AggrIntervalUs ? s.TimeUs - s.Attrs.AggrIntervalUs : 0);
        _lastEndUs[sc] = s.TimeUs;
        var a = s.Attrs;
        var intervals = new DamonIntervals((long)a.SampleIntervalUs, (long)a.AggrIntervalUs, (long)a.OpsUpdateIntervalUs,
            a.IntervalsGoal.Aggrs == 0
                ? DamonIntervalsGoal.Disabled
                : new DamonIntervalsGoal(a.IntervalsGoal.AccessBp, a.IntervalsGoal.Aggrs, (long)a.IntervalsGoal.MinSampleUs, (long)a.IntervalsGoal.MaxSampleUs));
        foreach (var t in s.Targets)
        {
            if (!_records.TryGetValue((sc, t.TargetIdx), out var record))
            {
                record = new DamonRecord
                {
                    KdamondIdx = sc.KdamondIdx,
                    ContextIdx = sc.ContextIdx,
                    // The damon_aggregated tracepoint identifies a target by its index in the context.
                    TargetId = (ulong)t.TargetIdx,
                    Intervals = intervals,
                    CpuToNode = CpuToNode is null ? null : new SortedDictionary<int, int>(CpuToNode.ToDictionary()),
                };
                _records[(sc, t.TargetIdx)] = record;
                _ordered.Add(record);
            }
            var regions = new List<DamonRegion>(t.Regions.Count);
            foreach (var r in t.Regions)
                regions.Add(new DamonRegion((long)r.Start, (long)r.End, r.NrAccesses, r.Age) { AccessesBy = Breakdown(r.AccessesBy) });
            var snapshot = new DamonSnapshot((long)startUs * 1000, (long)s.TimeUs * 1000, regions);
            // With interval auto-tuning the sampling interval changes; damo keeps it per snapshot.
            if (a.IntervalsGoal.Aggrs != 0)
                snapshot.SampleIntervalUs = (long)a.SampleIntervalUs;
            record.Snapshots.Add(snapshot);
        }
        NrSnapshots++;
    }

    private static DamonAccessBreakdown? Breakdown(AccessBreakdownCounts? c)
    {
        if (c is null) return null;
        var b = new DamonAccessBreakdown { Writes = c.NrWrites, Reads = c.NrReads };
        foreach (var k in c.Cpus) b.Cpus[k.Key] = k.Count;
        foreach (var k in c.Tids) b.Tids[k.Key] = k.Count;
        return b;
    }

    /// <summary>The records so far, in the order their targets first appeared.</summary>
    public IReadOnlyList<DamonRecord> Records => _ordered;
}
