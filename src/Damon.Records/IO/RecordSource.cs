using Damon.Records.Model;

namespace Damon.Records.IO;

/// <summary>
/// Records a report reads as a stream, once per pass: each <see cref="Events"/> starts over (a
/// file is reopened and parsed again). Reports built on it keep only their accumulators, so a long
/// record costs them time, not memory (docs/performance.md, "Reports on long records").
/// </summary>
public sealed class RecordSource(Func<IEnumerable<RecordEvent>> events)
{
    /// <summary>How many passes were started: what a report costs in reads of the file.</summary>
    public int Passes { get; private set; }

    public IEnumerable<RecordEvent> Events()
    {
        Passes++;
        return events();
    }

    /// <summary>Records already in memory, as the same events a file would yield.</summary>
    public static RecordSource Of(IReadOnlyList<DamonRecord> records) => new(() => EventsOf(records));

    /// <summary>A record file of any format read as a stream (<see cref="RecordFiles.ReadEvents"/>).</summary>
    public static RecordSource OfFile(string path) => new(() => RecordFiles.ReadEvents(path));

    /// <summary>Every record, snapshots included, in memory: for reports that need them all at once.</summary>
    public List<DamonRecord> ToRecords() => ToRecords(Events());

    internal static List<DamonRecord> ToRecords(IEnumerable<RecordEvent> events)
    {
        var records = new List<DamonRecord>();
        var snapshots = new List<DamonSnapshot>();
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case RecordEventKind.Snapshot:
                    snapshots.Add(e.Snapshot!);
                    break;
                case RecordEventKind.End:
                    e.Record!.Snapshots = snapshots;
                    records.Add(e.Record);
                    snapshots = [];
                    break;
            }
        }
        return records;
    }

    internal static IEnumerable<RecordEvent> EventsOf(IReadOnlyList<DamonRecord> records)
    {
        for (int i = 0; i < records.Count; i++)
        {
            yield return RecordEvent.Start(i, records[i]);
            foreach (var snapshot in records[i].Snapshots) yield return RecordEvent.Of(i, snapshot);
            yield return RecordEvent.End(i, records[i]);
        }
    }
}
