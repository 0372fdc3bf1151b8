using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Damon.Records.Model;

namespace Damon.Records.IO;

/// <summary>
/// The append-only file <c>damon record</c> writes while it runs (<c>FILE.journal</c> next to the
/// record FILE), so each flush costs only the snapshots since the previous one. damo's formats
/// cannot be appended: the JSON nests snapshots inside one record per (kdamond, context, target),
/// json_compressed is one zlib stream, and perf_script is written record after record.
///
/// Layout: the line <see cref="MagicText"/>, then frames. A frame is a 13-byte header (kind byte,
/// u32 record index, u32 payload length, u32 Adler-32 of the payload; little-endian) and the
/// payload. Kind <c>R</c> holds one record's snapshots of one flush as a zlib-compressed compact
/// damo JSON list of that one record (its header fields and those snapshots); record indexes number the records
/// in the order they first appear. Kind <c>C</c> (empty payload) ends a flush: only frames before
/// the last complete C frame are data, so a journal cut anywhere (kill -9 during a write) reads
/// as exactly the flushes that completed.
/// </summary>
public static class RecordJournal
{
    public const string MagicText = "DAMON-RECORD-JOURNAL 1\n";
    internal static readonly byte[] Magic = Encoding.ASCII.GetBytes(MagicText);
    internal const int FrameHeaderBytes = 13;
    internal const byte KindRecord = (byte)'R';
    internal const byte KindCommit = (byte)'C';

    /// <summary>The journal of record file <paramref name="recordPath"/>.</summary>
    public static string PathFor(string recordPath) => recordPath + ".journal";

    public static bool IsJournal(ReadOnlySpan<byte> head) => head.StartsWith(Magic);

    /// <summary>The journal <see cref="RecordFiles.Read"/> of <paramref name="path"/> reads: the path itself if it is one, or FILE.journal when FILE is missing; null otherwise.</summary>
    public static string? JournalRead(string path)
    {
        if (!File.Exists(path))
            return File.Exists(PathFor(path)) ? PathFor(path) : null;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var head = new byte[Magic.Length];
        return IsJournal(head.AsSpan(0, file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false))) ? path : null;
    }

    /// <summary>One committed frame: which record, and where its payload is in the journal.</summary>
    internal readonly record struct Frame(int RecordIdx, long Offset, int Length);

    /// <summary>
    /// Reads every record of a journal, with the snapshots of every completed flush. Damage
    /// after the last completed flush (a cut write) is ignored; a frame that checks out but does
    /// not hold one valid record is a <see cref="RecordFormatException"/>.
    /// </summary>
    public static List<DamonRecord> Read(string path)
    {
        using var file = OpenRead(path);
        var records = new List<DamonRecord>();
        foreach (var frame in Committed(file, path))
        {
            var part = ReadFrame(file, frame, path);
            if (frame.RecordIdx == records.Count) records.Add(part);
            else records[frame.RecordIdx].Snapshots.AddRange(part.Snapshots);
        }
        return records;
    }

    /// <summary>
    /// Writes the journal's records to <paramref name="recordPath"/> in <paramref name="format"/>,
    /// one record after the other with one frame in memory at a time, atomically
    /// (<see cref="AtomicFile"/>), then deletes the journal. The bytes equal those
    /// <see cref="RecordFiles.Write(IReadOnlyList{DamonRecord}, string, RecordFileFormat, UnixFileMode?, string?)"/>
    /// writes for the same records. For the JSON formats the snapshots are copied token by token
    /// from the frames (which that same writer produced and whose checksums held), without
    /// building the model: the conversion then costs about what writing the snapshots from memory does.
    /// </summary>
    /// <param name="cancel">
    /// abandons the conversion: the partial record file is removed and the journal is kept whole
    /// (<see cref="OperationCanceledException"/>); checked after every frame
    /// </param>
    public static void Finish(string journalPath, string recordPath, RecordFileFormat format, UnixFileMode? mode = null,
        string? backupPath = null, CancellationToken cancel = default)
    {
        using (var file = OpenRead(journalPath))
        {
            var byRecord = new List<List<Frame>>();
            foreach (var frame in Committed(file, journalPath))
            {
                if (frame.RecordIdx == byRecord.Count) byRecord.Add([]);
                byRecord[frame.RecordIdx].Add(frame);
            }
            var inflated = new MemoryStream();
            DamonRecord Header(List<Frame> ofRecord)
            {
                var header = ReadFrame(file, ofRecord[0], journalPath);
                header.Snapshots = [];
                return header;
            }
            if (format == RecordFileFormat.PerfScript)
            {
                IEnumerable<DamonSnapshot> Snapshots(List<Frame> ofRecord)
                {
                    foreach (var frame in ofRecord)
                    {
                        cancel.ThrowIfCancellationRequested();
                        foreach (var snapshot in ReadFrame(file, frame, journalPath).Snapshots)
                            yield return snapshot;
                    }
                }
                RecordFiles.Write(byRecord.Select(ofRecord => (Header(ofRecord), Snapshots(ofRecord))), recordPath, format, mode, backupPath);
            }
            else
            {
                void CopySnapshots(List<Frame> ofRecord, Utf8JsonWriter w)
                {
                    foreach (var frame in ofRecord)
                    {
                        cancel.ThrowIfCancellationRequested();
                        Inflate(file, frame, journalPath, inflated);
                        CopySnapshotTokens(inflated.GetBuffer().AsSpan(0, (int)inflated.Length), w, journalPath, frame);
                    }
                }
                RecordFiles.WriteJson(stream => JsonRecordWriter.Write(
                        byRecord.Select(ofRecord => (Header(ofRecord), (Action<Utf8JsonWriter>)(w => CopySnapshots(ofRecord, w)))), stream),
                    recordPath, format, mode, backupPath);
            }
        }
        File.Delete(journalPath);
    }

    /// <summary>The command that turns journal <paramref name="journalPath"/> into its record file (what <see cref="Finish"/> does).</summary>
    public static string ConvertCommand(string journalPath, RecordFileFormat format = RecordFileFormat.JsonCompressed)
    {
        string recordPath = journalPath.EndsWith(".journal", StringComparison.Ordinal) ? journalPath[..^".journal".Length] : journalPath + ".converted";
        return $"damon convert_record_format --record_file {journalPath} --format {format.ToDamoName()} --output_file {recordPath}";
    }

    /// <summary>
    /// Copies the values of the "snapshots" array of a frame's one record to <paramref name="w"/>.
    /// Numbers are re-written from their integer (or double) value, as the model's writer writes
    /// them, so the copy is byte for byte what writing the parsed snapshots would give.
    /// </summary>
    private static void CopySnapshotTokens(ReadOnlySpan<byte> json, Utf8JsonWriter w, string path, Frame frame)
    {
        var r = new Utf8JsonReader(json);
        try
        {
            // [ { ..., "snapshots": [ ... ], ... } ]: the property at depth 2.
            while (true)
            {
                if (!r.Read())
                    throw new RecordFormatException(path, $"byte {frame.Offset}", "a journal frame holding a record with \"snapshots\"");
                if (r.TokenType == JsonTokenType.PropertyName && r.CurrentDepth == 2 && r.ValueTextEquals("snapshots"u8))
                    break;
            }
            if (!r.Read() || r.TokenType != JsonTokenType.StartArray)
                throw new RecordFormatException(path, $"byte {frame.Offset}", "a list of snapshots in the journal frame");
            int listDepth = r.CurrentDepth;
            while (r.Read() && !(r.TokenType == JsonTokenType.EndArray && r.CurrentDepth == listDepth))
            {
                switch (r.TokenType)
                {
                    case JsonTokenType.StartObject: w.WriteStartObject(); break;
                    case JsonTokenType.EndObject:
                        w.WriteEndObject();
                        if (r.CurrentDepth == listDepth + 1) JsonRecordWriter.FlushIfFull(w);
                        break;
                    case JsonTokenType.StartArray: w.WriteStartArray(); break;
                    case JsonTokenType.EndArray: w.WriteEndArray(); break;
                    case JsonTokenType.PropertyName:
                        if (r.ValueIsEscaped) w.WritePropertyName(r.GetString()!);
                        else w.WritePropertyName(r.ValueSpan);
                        break;
                    case JsonTokenType.String:
                        if (r.ValueIsEscaped) w.WriteStringValue(r.GetString());
                        else w.WriteStringValue(r.ValueSpan);
                        break;
                    case JsonTokenType.Number:
                        if (r.TryGetInt64(out long integer)) w.WriteNumberValue(integer);
                        else if (r.TryGetUInt64(out ulong large)) w.WriteNumberValue(large);
                        else w.WriteNumberValue(r.GetDouble());
                        break;
                    case JsonTokenType.True: w.WriteBooleanValue(true); break;
                    case JsonTokenType.False: w.WriteBooleanValue(false); break;
                    case JsonTokenType.Null: w.WriteNullValue(); break;
                    default:
                        throw new RecordFormatException(path, $"byte {frame.Offset}", $"JSON values in the journal frame, found {r.TokenType}");
                }
            }
        }
        catch (JsonException e)
        {
            throw new RecordFormatException(path, $"byte {frame.Offset}", "one valid JSON record in the journal frame", e);
        }
    }

    private static FileStream OpenRead(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        var head = new byte[Magic.Length];
        if (file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) != head.Length || !IsJournal(head))
        {
            file.Dispose();
            throw new RecordFormatException(path, "byte 0", $"a record journal starting with \"{MagicText.TrimEnd()}\"");
        }
        return file;
    }

    /// <summary>The frames of completed flushes, checked against their checksums; stops at the first damaged or cut frame.</summary>
    private static List<Frame> Committed(FileStream file, string path)
    {
        var committed = new List<Frame>();
        var pending = new List<Frame>();
        int nrPendingRecords = 0;
        var header = new byte[FrameHeaderBytes];
        byte[] payload = [];
        file.Position = Magic.Length;
        while (true)
        {
            long at = file.Position;
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) != header.Length)
                break;
            byte kind = header[0];
            uint idx = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(1));
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(5));
            uint checksum = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(9));
            if (kind == KindCommit)
            {
                if (length != 0) break;
                committed.AddRange(pending);
                pending.Clear();
                continue;
            }
            // A record index is one already seen or the next new one; anything else is damage.
            if (kind != KindRecord || idx > nrPendingRecords || length > file.Length - at - FrameHeaderBytes)
                break;
            if (payload.Length < length) payload = new byte[Math.Max(length, Math.Min(2L * payload.Length, Array.MaxLength))];
            if (file.ReadAtLeast(payload.AsSpan(0, (int)length), (int)length, throwOnEndOfStream: false) != length
                || RecordFiles.Adler32(payload.AsSpan(0, (int)length)) != checksum)
                break;
            if (idx == nrPendingRecords) nrPendingRecords++;
            pending.Add(new Frame((int)idx, at + FrameHeaderBytes, (int)length));
        }
        return committed;
    }

    private static DamonRecord ReadFrame(FileStream file, Frame frame, string path)
    {
        using var json = new MemoryStream();
        Inflate(file, frame, path, json);
        var records = JsonRecordReader.Parse(json.GetBuffer().AsMemory(0, (int)json.Length), path, $"journal frame at byte {frame.Offset}");
        if (records.Count != 1)
            throw new RecordFormatException(path, $"byte {frame.Offset}", $"one record in the journal frame, found {records.Count}");
        return records[0];
    }

    /// <summary>Replaces the content of <paramref name="json"/> with the frame's decompressed payload.</summary>
    private static void Inflate(FileStream file, Frame frame, string path, MemoryStream json)
    {
        var payload = new byte[frame.Length];
        file.Position = frame.Offset;
        file.ReadExactly(payload);
        json.SetLength(0);
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(payload, writable: false), CompressionMode.Decompress);
            zlib.CopyTo(json);
        }
        catch (InvalidDataException e)
        {
            throw new RecordFormatException(path, $"byte {frame.Offset}", "a zlib-compressed journal frame", e);
        }
    }
}
