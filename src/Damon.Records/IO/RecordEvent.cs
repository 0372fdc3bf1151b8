using Damon.Records.Model;

namespace Damon.Records.IO;

/// <summary>What a record file yields when read as a stream (<see cref="RecordSource"/>).</summary>
public enum RecordEventKind
{
    /// <summary>A record begins; <see cref="RecordEvent.Record"/> holds the fields read before its snapshots.</summary>
    Start,
    /// <summary>One snapshot of the current record, in file order.</summary>
    Snapshot,
    /// <summary>The record ends; <see cref="RecordEvent.Record"/> holds every field but the snapshots.</summary>
    End,
}

/// <summary>
/// One step of a record read as a stream. A JSON record's keys may follow its snapshots (damo's
/// writer puts <c>data_source</c> there), so only the <see cref="RecordEventKind.End"/> header
/// is complete; the <see cref="RecordEventKind.Start"/> one has the keys written before the
/// snapshots (all of the identity and intervals, in files damo or Damon wrote). Consumers must not
/// read <see cref="DamonRecord.Snapshots"/> of either: it may be empty or hold every snapshot.
/// </summary>
public readonly record struct RecordEvent(RecordEventKind Kind, int RecordIndex, DamonRecord? Record, DamonSnapshot? Snapshot)
{
    public static RecordEvent Start(int index, DamonRecord header) => new(RecordEventKind.Start, index, header, null);
    public static RecordEvent Of(int index, DamonSnapshot snapshot) => new(RecordEventKind.Snapshot, index, null, snapshot);
    public static RecordEvent End(int index, DamonRecord header) => new(RecordEventKind.End, index, header, null);
}
