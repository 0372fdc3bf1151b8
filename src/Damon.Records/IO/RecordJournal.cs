using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
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
    /// one record after the other with one flush of snapshots in memory at a time, atomically
    /// (<see cref="AtomicFile"/>), then deletes the journal. The bytes equal those
    /// <see cref="RecordFiles.Write(IReadOnlyList{DamonRecord}, string, RecordFileFormat, UnixFileMode?, string?)"/>
    /// writes for the same records.
    /// </summary>
    public static void Finish(string journalPath, string recordPath, RecordFileFormat format, UnixFileMode? mode = null,
        string? backupPath = null)
    {
        using (var file = OpenRead(journalPath))
        {
            var frames = Committed(file, journalPath);
            var byRecord = new List<List<Frame>>();
            foreach (var frame in frames)
            {
                if (frame.RecordIdx == byRecord.Count) byRecord.Add([]);
                byRecord[frame.RecordIdx].Add(frame);
            }
            IEnumerable<DamonSnapshot> Snapshots(List<Frame> ofRecord)
            {
                foreach (var frame in ofRecord)
                    foreach (var snapshot in ReadFrame(file, frame, journalPath).Snapshots)
                        yield return snapshot;
            }
            var records = byRecord.Select(ofRecord =>
            {
                var header = ReadFrame(file, ofRecord[0], journalPath);
                header.Snapshots = [];
                return (header, Snapshots(ofRecord));
            });
            RecordFiles.Write(records, recordPath, format, mode, backupPath);
        }
        File.Delete(journalPath);
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
        var payload = new byte[frame.Length];
        file.Position = frame.Offset;
        file.ReadExactly(payload);
        using var json = new MemoryStream();
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(payload, writable: false), CompressionMode.Decompress);
            zlib.CopyTo(json);
        }
        catch (InvalidDataException e)
        {
            throw new RecordFormatException(path, $"byte {frame.Offset}", "a zlib-compressed journal frame", e);
        }
        var records = JsonRecordReader.Parse(json.GetBuffer().AsMemory(0, (int)json.Length), path, $"journal frame at byte {frame.Offset}");
        if (records.Count != 1)
            throw new RecordFormatException(path, $"byte {frame.Offset}", $"one record in the journal frame, found {records.Count}");
        return records[0];
    }
}
