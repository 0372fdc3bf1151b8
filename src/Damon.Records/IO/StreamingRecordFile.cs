using Damon.Records.Model;

namespace Damon.Records.IO;

/// <summary>
/// A record file written while recording: every <see cref="Flush"/> appends the new snapshots to
/// the journal next to it (<see cref="RecordJournal.PathFor"/>) and drops them from memory, and
/// <see cref="Complete"/> turns the journal into the file in the requested damo format. Until
/// then the record is the journal: a recording killed at any moment keeps every completed flush,
/// and <see cref="RecordFiles.Read"/> of the record path reads the journal when the file is not
/// there. An existing file is moved to <c>backupPath</c> at the first flush (damo's FILE.old), so
/// a stale record is never mistaken for the interrupted one.
/// </summary>
public sealed class StreamingRecordFile(string path, RecordFileFormat format, UnixFileMode? mode = null, string? backupPath = null)
    : IDisposable
{
    private RecordJournalWriter? _journal;

    public string JournalPath => RecordJournal.PathFor(path);

    /// <summary>Appends the snapshots the records gained since the last flush; see <see cref="RecordJournalWriter.Append"/>.</summary>
    public void Flush(IReadOnlyList<DamonRecord> records)
    {
        if (_journal is null)
        {
            // Created before the old file moves away: a journal left by a killed run stops us here.
            var journal = RecordJournalWriter.Create(JournalPath, mode, format);
            if (backupPath is not null && File.Exists(path))
                File.Move(path, backupPath, overwrite: true);
            _journal = journal;
        }
        _journal.Append(records);
    }

    /// <summary>Flushes what is left, writes the record file in one pass over the journal, and deletes the journal.</summary>
    /// <param name="cancel">abandons the conversion (not the flush), keeping the journal: see <see cref="RecordJournal.Finish"/></param>
    public void Complete(IReadOnlyList<DamonRecord> records, CancellationToken cancel = default)
    {
        Flush(records);
        _journal!.Dispose();
        RecordJournal.Finish(JournalPath, path, format, mode, backupPath: null, cancel);
    }

    public void Dispose() => _journal?.Dispose();
}
