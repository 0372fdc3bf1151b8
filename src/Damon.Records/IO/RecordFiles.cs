using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using Damon.Records.Model;

namespace Damon.Records.IO;

/// <summary>
/// Entry point for reading and writing record files. The format is detected from the content the
/// way damo does with <c>file(1)</c>: a zlib header means json_compressed, a leading '[' or '{'
/// means json, other text is taken as perf script output.
/// </summary>
public static class RecordFiles
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The largest decompressed JSON a record is read from (.NET's array and MemoryStream limit).</summary>
    public static long MaxJsonBytes => Array.MaxLength;

    public static RecordFileFormat DetectFormat(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && (head[0] & 0x0f) == 8 && ((head[0] << 8) | head[1]) % 31 == 0)
            return RecordFileFormat.JsonCompressed;
        foreach (var b in head)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') continue;
            return b is (byte)'[' or (byte)'{' ? RecordFileFormat.Json : RecordFileFormat.PerfScript;
        }
        return RecordFileFormat.PerfScript;
    }

    /// <summary>
    /// Reads a record file of any supported format, or a <see cref="RecordJournal"/>. When
    /// <paramref name="path"/> does not exist but its journal does (a <c>damon record</c> still
    /// running, or killed), the journal is read: every flush it completed.
    /// </summary>
    public static List<DamonRecord> Read(string path) => Read(path, StreamingReadBytes);

    /// <param name="streamingReadBytes">JSON larger than this is read as a stream (tests pass a small value)</param>
    internal static List<DamonRecord> Read(string path, long streamingReadBytes)
    {
        if (!File.Exists(path) && File.Exists(RecordJournal.PathFor(path)))
            return RecordJournal.Read(RecordJournal.PathFor(path));
        byte[] data;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var head = new byte[RecordJournal.Magic.Length];
            int n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (RecordJournal.IsJournal(head.AsSpan(0, n)))
            {
                file.Dispose();
                return RecordJournal.Read(path);
            }
            if (file.Length > streamingReadBytes || file.Length > Array.MaxLength)
            {
                file.Position = 0;
                var start = new byte[4096];
                int nStart = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
                var startSpan = start.AsSpan(0, nStart);
                if (startSpan.StartsWith(Utf8Bom)) startSpan = startSpan[Utf8Bom.Length..];
                file.Position = 0;
                switch (DetectFormat(startSpan))
                {
                    case RecordFileFormat.Json:
                        return JsonRecordStreamReader.Parse(file, path);
                    case RecordFileFormat.JsonCompressed:
                        return ReadCompressedStream(file, file.Length, ReadLastUInt32(file), path);
                }
            }
            data = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new FileNotFoundException($"{path}: record file not found", path);
        }
        return Parse(data, path, streamingReadBytes);
    }

    /// <summary>Whether <see cref="Read"/> finds something at <paramref name="path"/>: the file or its journal.</summary>
    public static bool Exists(string path) => File.Exists(path) || File.Exists(RecordJournal.PathFor(path));

    public static List<DamonRecord> Parse(byte[] data, string path) => Parse(data, path, StreamingReadBytes);

    private static List<DamonRecord> Parse(byte[] data, string path, long streamingReadBytes)
    {
        // A text editor may have prefixed the UTF-8 byte order mark; without this the text would
        // not start with '[' and would be read as perf script output holding no event at all.
        if (data.AsSpan().StartsWith(Utf8Bom))
            data = data[Utf8Bom.Length..];
        if (data.Length == 0)
            throw new RecordFormatException(path, "byte 0", "a json_compressed, json or perf_script record, but the file is empty");
        var format = DetectFormat(data.AsSpan(0, Math.Min(data.Length, 4096)));
        switch (format)
        {
            case RecordFileFormat.JsonCompressed:
                var json = Decompress(data, path, streamingReadBytes);
                if (json is null)
                    return ReadCompressedStream(new MemoryStream(data, writable: false), data.Length,
                        data.Length < 4 ? null : BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(data.Length - 4)), path);
                if (json.AsSpan().StartsWith(Utf8Bom))
                    json = json[Utf8Bom.Length..];
                return JsonRecordReader.Parse(json, path, "decompressed JSON");
            case RecordFileFormat.Json:
                return JsonRecordReader.Parse(data, path);
            default:
                int nul = Array.IndexOf(data, (byte)0);
                if (nul >= 0)
                    throw new RecordFormatException(path, $"byte {nul}",
                        "text (perf script output), json or zlib-compressed json; binary perf.data files need 'perf script' first");
                string text;
                try
                {
                    text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(data);
                }
                catch (DecoderFallbackException e)
                {
                    throw new RecordFormatException(path, $"byte {e.Index}", "UTF-8 text (perf script output)", e);
                }
                return PerfScriptReader.Parse(text, path);
        }
    }

    /// <summary>
    /// JSON above this size (of the file, or decompressed) is read as a stream
    /// (<see cref="JsonRecordStreamReader"/>) instead of whole into memory; below it, errors are
    /// located exactly as before.
    /// </summary>
    public const long StreamingReadBytes = 256L << 20;

    private static uint? ReadLastUInt32(FileStream file)
    {
        if (file.Length < 4) return null;
        var tail = new byte[4];
        file.Position = file.Length - 4;
        file.ReadExactly(tail);
        file.Position = 0;
        return BinaryPrimitives.ReadUInt32BigEndian(tail);
    }

    /// <summary>Inflates and parses at once; the Adler-32 of the inflated JSON is checked against the stream's trailer at the end.</summary>
    private static List<DamonRecord> ReadCompressedStream(Stream compressed, long compressedLength, uint? trailer, string path) =>
        RecordSource.ToRecords(CompressedEvents(compressed, compressedLength, trailer, path));

    /// <summary>
    /// The events of a json_compressed stream, inflated as they are parsed. The trailer is checked
    /// after the last record, so a consumer sees a truncated file's error before it could finish.
    /// </summary>
    private static IEnumerable<RecordEvent> CompressedEvents(Stream compressed, long compressedLength, uint? trailer, string path)
    {
        using var source = new CountingStream(compressed);
        using var zlib = new ZLibStream(source, CompressionMode.Decompress);
        var summed = new Adler32Stream(zlib);
        using var events = new JsonRecordStreamReader(summed, path, "decompressed JSON").Events().GetEnumerator();
        while (true)
        {
            try
            {
                if (!events.MoveNext())
                {
                    summed.CopyTo(Stream.Null);
                    break;
                }
            }
            catch (InvalidDataException e)
            {
                throw new RecordFormatException(path, $"byte {source.Consumed} of the compressed data",
                    $"a valid zlib stream ({e.Message.TrimEnd('.')})", e);
            }
            yield return events.Current;
        }
        if (compressedLength < 6 || trailer != summed.Sum)
            throw new RecordFormatException(path, $"byte {compressedLength}",
                $"the end of the zlib stream (its Adler-32 checksum) after {summed.Length} decompressed bytes; the file is truncated or corrupt");
    }

    /// <summary>
    /// Reads a record file as a stream of events (<see cref="RecordSource.OfFile"/>): json and
    /// json_compressed are inflated and parsed as they are consumed, one snapshot at a time, whatever
    /// their size; a journal and perf_script text are read whole first. Errors are those of
    /// <see cref="Read"/>, raised when the consumer reaches them.
    /// </summary>
    public static IEnumerable<RecordEvent> ReadEvents(string path)
    {
        if (!File.Exists(path) && File.Exists(RecordJournal.PathFor(path)))
        {
            foreach (var e in RecordSource.EventsOf(RecordJournal.Read(RecordJournal.PathFor(path)))) yield return e;
            yield break;
        }
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (FileNotFoundException)
        {
            throw new FileNotFoundException($"{path}: record file not found", path);
        }
        using (file)
        {
            var start = new byte[4096];
            int nStart = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            var head = start.AsSpan(0, nStart);
            bool journal = RecordJournal.IsJournal(head[..Math.Min(nStart, RecordJournal.Magic.Length)]);
            if (head.StartsWith(Utf8Bom)) head = head[Utf8Bom.Length..];
            var format = journal || head.Length == 0 ? RecordFileFormat.PerfScript : DetectFormat(head);
            file.Position = 0;
            IEnumerable<RecordEvent> events = format switch
            {
                RecordFileFormat.Json => new JsonRecordStreamReader(file, path).Events(),
                RecordFileFormat.JsonCompressed => CompressedEvents(file, file.Length, ReadLastUInt32(file), path),
                // Journals, perf_script text and empty files: read whole, with Read's errors.
                _ => RecordSource.EventsOf(Read(path)),
            };
            foreach (var e in events) yield return e;
        }
    }

    /// <returns>null when the JSON outgrows <paramref name="streamingReadBytes"/> (then read it as a stream)</returns>
    private static byte[]? Decompress(byte[] data, string path, long streamingReadBytes)
    {
        using var source = new CountingStream(new MemoryStream(data, writable: false));
        using var output = new MemoryStream();
        try
        {
            using var zlib = new ZLibStream(source, CompressionMode.Decompress);
            var chunk = new byte[1 << 16];
            int n;
            while ((n = zlib.Read(chunk)) > 0)
            {
                output.Write(chunk, 0, n);
                if (output.Length > streamingReadBytes) return null;
            }
        }
        catch (InvalidDataException e)
        {
            throw new RecordFormatException(path, $"byte {source.Consumed} of the compressed data",
                $"a valid zlib stream ({e.Message.TrimEnd('.')})", e);
        }
        catch (IOException e)
        {
            // Both streams are in memory: the only I/O failure is the output outgrowing what a
            // MemoryStream (and the JSON document read from it) can hold.
            throw new RecordFormatException(path, $"byte {source.Consumed} of the compressed data",
                $"at most {MaxJsonBytes} bytes of decompressed JSON, the most a record is read into memory with", e);
        }
        var json = output.ToArray();
        // .NET stops quietly at the end of a cut stream; a complete zlib stream ends with the
        // Adler-32 of its content, so a mismatch means truncation (or corruption) of the file.
        if (data.Length < 6 || BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(data.Length - 4)) != Adler32(json))
            throw new RecordFormatException(path, $"byte {data.Length}",
                $"the end of the zlib stream (its Adler-32 checksum) after {json.Length} decompressed bytes; the file is truncated or corrupt");
        return json;
    }

    internal static uint Adler32(ReadOnlySpan<byte> data) => Adler32(data, 1);

    /// <param name="sum">the Adler-32 of the bytes before <paramref name="data"/> (1 for none)</param>
    internal static uint Adler32(ReadOnlySpan<byte> data, uint sum)
    {
        const uint Mod = 65521;
        uint a = sum & 0xffff, b = sum >> 16;
        if (Vector.IsHardwareAccelerated) (a, b) = Adler32Vectors(ref data, a, b);
        while (data.Length > 0)
        {
            // 5552 bytes is the longest run before the sums can overflow 32 bits.
            int n = Math.Min(data.Length, 5552);
            foreach (var x in data[..n])
            {
                a += x;
                b += a;
            }
            a %= Mod;
            b %= Mod;
            data = data[n..];
        }
        return (b << 16) | a;
    }

    /// <summary>
    /// Sums whole vectors of <paramref name="data"/> into (a, b) and leaves the tail for the byte
    /// loop: a long record's inflated JSON is hundreds of MB, which the byte loop takes a second for.
    /// Over n vectors of w bytes, byte j (vector k, lane p) adds x to a and (n*w - j) x to b; per lane
    /// the vectors sum to A and the running sums before each vector to P, so b gains
    /// n*w*a + w*sum(P) + sum((w - p) A_p). Blocks of at most 5552 bytes keep the lanes in 32 bits.
    /// </summary>
    private static (uint A, uint B) Adler32Vectors(ref ReadOnlySpan<byte> data, uint a, uint b)
    {
        const uint Mod = 65521;
        int w = Vector<byte>.Count, quarter = w / 4;
        while (data.Length >= w)
        {
            int n = Math.Min(5552 / w, data.Length / w);
            Vector<uint> a0 = default, a1 = default, a2 = default, a3 = default, p0 = default, p1 = default, p2 = default, p3 = default;
            for (int k = 0; k < n; k++)
            {
                var v = new Vector<byte>(data.Slice(k * w, w));
                Vector.Widen(v, out Vector<ushort> lo, out Vector<ushort> hi);
                Vector.Widen(lo, out Vector<uint> u0, out Vector<uint> u1);
                Vector.Widen(hi, out Vector<uint> u2, out Vector<uint> u3);
                p0 += a0; p1 += a1; p2 += a2; p3 += a3;
                a0 += u0; a1 += u1; a2 += u2; a3 += u3;
            }
            ulong sumA = 0, sumP = 0, weighted = 0;
            ReadOnlySpan<Vector<uint>> lanesA = [a0, a1, a2, a3], lanesP = [p0, p1, p2, p3];
            for (int q = 0; q < 4; q++)
                for (int i = 0; i < quarter; i++)
                {
                    uint laneA = lanesA[q][i];
                    sumA += laneA;
                    sumP += lanesP[q][i];
                    weighted += (ulong)(w - (q * quarter + i)) * laneA;
                }
            int len = n * w;
            b = (uint)((b + (ulong)len * a + (ulong)w * sumP + weighted) % Mod);
            a = (uint)((a + sumA) % Mod);
            data = data[len..];
        }
        return (a, b);
    }

    /// <param name="backupPath">keep an existing file under this name (damo record's FILE.old)</param>
    public static void Write(IReadOnlyList<DamonRecord> records, string path, RecordFileFormat format, UnixFileMode? mode = null,
        string? backupPath = null) =>
        Write(records.Select(r => (r, (IEnumerable<DamonSnapshot>)r.Snapshots)), path, format, mode, backupPath);

    /// <summary>Writes records whose snapshots are produced while writing (one record at a time in memory).</summary>
    internal static void Write(IEnumerable<(DamonRecord Header, IEnumerable<DamonSnapshot> Snapshots)> records, string path,
        RecordFileFormat format, UnixFileMode? mode, string? backupPath)
    {
        if (format == RecordFileFormat.PerfScript)
            AtomicFile.Write(path, stream => PerfScriptWriter.Write(records, stream), mode, backupPath);
        else
            WriteJson(stream => JsonRecordWriter.Write(records, stream), path, format, mode, backupPath);
    }

    /// <summary>Writes the JSON <paramref name="writeJson"/> produces as a json or json_compressed file, atomically.</summary>
    internal static void WriteJson(Action<Stream> writeJson, string path, RecordFileFormat format, UnixFileMode? mode, string? backupPath)
    {
        AtomicFile.Write(path, stream =>
        {
            switch (format)
            {
                case RecordFileFormat.JsonCompressed:
                    using (var zlib = new ZLibStream(stream, CompressionLevel.Optimal, leaveOpen: true))
                        writeJson(zlib);
                    break;
                case RecordFileFormat.Json:
                    writeJson(stream);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(format));
            }
        }, mode, backupPath);
    }

    /// <summary>Passes the inflated JSON through, summing it with Adler-32 as zlib's trailer does.</summary>
    private sealed class Adler32Stream(Stream inner) : Stream
    {
        public uint Sum { get; private set; } = 1;
        private long _length;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException("a read-only, forward-only stream"); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, count);
            Sum = Adler32(buffer.AsSpan(offset, n), Sum);
            _length += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a read-only, forward-only stream");
        public override void SetLength(long value) => throw new NotSupportedException("a read-only, forward-only stream");
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("a read-only, forward-only stream");
    }

    /// <summary>Counts bytes handed to the decompressor so corrupt input can be located.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Consumed { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => Consumed; set => throw new NotSupportedException("a read-only, forward-only stream"); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, Math.Min(count, 512));
            Consumed += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a read-only, forward-only stream");
        public override void SetLength(long value) => throw new NotSupportedException("a read-only, forward-only stream");
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("a read-only, forward-only stream");
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
