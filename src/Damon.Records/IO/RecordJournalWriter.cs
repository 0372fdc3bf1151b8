using System.Buffers.Binary;
using System.IO.Compression;
using Damon.Records.Model;

namespace Damon.Records.IO;

/// <summary>
/// Appends flushes to a <see cref="RecordJournal"/>: each <see cref="Append"/> writes the
/// snapshots the records gained since the previous one, ends the flush with a commit frame,
/// fsyncs, and then empties the records' snapshot lists, so a recorder keeps only what it has
/// not flushed yet.
/// </summary>
public sealed class RecordJournalWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly string _path;
    private int _nrRecords;

    private RecordJournalWriter(FileStream file, string path)
    {
        _file = file;
        _path = path;
    }

    /// <summary>
    /// Creates the journal; one that exists already (an interrupted recording not yet converted) is
    /// not overwritten. The magic line is written and made durable under a temporary name that is
    /// then linked into place, so the journal never exists without its header: a reader (a
    /// <c>damon report</c> of the running record) sees either no journal or an empty, valid one.
    /// </summary>
    /// <param name="format">the record file's format, for the conversion command an existing journal is told with</param>
    public static RecordJournalWriter Create(string path, UnixFileMode? mode = null, RecordFileFormat format = RecordFileFormat.JsonCompressed)
    {
        if (File.Exists(path))
            throw new IOException(InterruptedRecordingText(path, format));
        var fullPath = System.IO.Path.GetFullPath(path);
        var tempPath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(fullPath) ?? ".",
            $".{System.IO.Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        // FileShare.Delete: the open handle keeps writing to the same file once it is renamed.
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read | FileShare.Delete, BufferSize = 1 << 16,
        };
        if (mode is UnixFileMode unixMode && !OperatingSystem.IsWindows()) options.UnixCreateMode = unixMode;
        var file = new FileStream(tempPath, options);
        try
        {
            file.Write(RecordJournal.Magic);
            file.Flush(flushToDisk: true);
            // Without overwrite a journal that appeared meanwhile fails the move instead of being replaced.
            File.Move(tempPath, fullPath, overwrite: false);
        }
        catch (IOException) when (File.Exists(fullPath))
        {
            file.Dispose();
            File.Delete(tempPath);
            throw new IOException(InterruptedRecordingText(path, format));
        }
        catch
        {
            file.Dispose();
            File.Delete(tempPath);
            throw;
        }
        return new RecordJournalWriter(file, path);
    }

    /// <summary>What to do with the journal of an interrupted recording: the command that turns it into its record file.</summary>
    public static string InterruptedRecordingText(string journalPath, RecordFileFormat format) =>
        $"{journalPath} holds an interrupted recording; convert it with '{RecordJournal.ConvertCommand(journalPath, format)}' or remove it";

    public string Path => _path;

    /// <summary>
    /// Writes one flush: a frame per record that gained snapshots (and per record new since the
    /// last flush, even without any), a commit frame, then fsync. <paramref name="records"/> is
    /// the recorder's list, in first-appearance order, only ever growing at its end; their
    /// <see cref="DamonRecord.Snapshots"/> are cleared once durable.
    /// </summary>
    public void Append(IReadOnlyList<DamonRecord> records)
    {
        if (records.Count < _nrRecords)
            throw new ArgumentException($"the journal knows {_nrRecords} records, the recorder gave {records.Count}", nameof(records));
        using var payload = new MemoryStream();
        for (int i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Snapshots.Count == 0 && i < _nrRecords) continue;
            payload.SetLength(0);
            // Compressed: the journal then costs about the I/O of the json_compressed file itself.
            using (var zlib = new ZLibStream(payload, CompressionLevel.Fastest, leaveOpen: true))
                JsonRecordWriter.Write([(record, (IEnumerable<DamonSnapshot>)record.Snapshots)], zlib, indented: false);
            WriteFrame(RecordJournal.KindRecord, (uint)i, payload.GetBuffer().AsSpan(0, (int)payload.Length));
        }
        WriteFrame(RecordJournal.KindCommit, 0, []);
        _file.Flush(flushToDisk: true);
        _nrRecords = records.Count;
        foreach (var record in records) record.Snapshots.Clear();
    }

    private void WriteFrame(byte kind, uint recordIdx, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[RecordJournal.FrameHeaderBytes];
        header[0] = kind;
        BinaryPrimitives.WriteUInt32LittleEndian(header[1..], recordIdx);
        BinaryPrimitives.WriteUInt32LittleEndian(header[5..], (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[9..], RecordFiles.Adler32(payload));
        _file.Write(header);
        _file.Write(payload);
    }

    public void Dispose() => _file.Dispose();
}
