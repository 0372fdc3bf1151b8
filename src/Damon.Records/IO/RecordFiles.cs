using System.Buffers.Binary;
using System.IO.Compression;
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
    public static List<DamonRecord> Read(string path)
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
            data = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new FileNotFoundException($"{path}: record file not found", path);
        }
        return Parse(data, path);
    }

    /// <summary>Whether <see cref="Read"/> finds something at <paramref name="path"/>: the file or its journal.</summary>
    public static bool Exists(string path) => File.Exists(path) || File.Exists(RecordJournal.PathFor(path));

    public static List<DamonRecord> Parse(byte[] data, string path)
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
                var json = Decompress(data, path);
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

    private static byte[] Decompress(byte[] data, string path)
    {
        using var source = new CountingStream(new MemoryStream(data, writable: false));
        using var output = new MemoryStream();
        try
        {
            using var zlib = new ZLibStream(source, CompressionMode.Decompress);
            zlib.CopyTo(output);
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

    internal static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Mod = 65521;
        uint a = 1, b = 0;
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

    /// <param name="backupPath">keep an existing file under this name (damo record's FILE.old)</param>
    public static void Write(IReadOnlyList<DamonRecord> records, string path, RecordFileFormat format, UnixFileMode? mode = null,
        string? backupPath = null) =>
        Write(records.Select(r => (r, (IEnumerable<DamonSnapshot>)r.Snapshots)), path, format, mode, backupPath);

    /// <summary>Writes records whose snapshots are produced while writing (one record at a time in memory).</summary>
    internal static void Write(IEnumerable<(DamonRecord Header, IEnumerable<DamonSnapshot> Snapshots)> records, string path,
        RecordFileFormat format, UnixFileMode? mode, string? backupPath)
    {
        AtomicFile.Write(path, stream =>
        {
            switch (format)
            {
                case RecordFileFormat.JsonCompressed:
                    using (var zlib = new ZLibStream(stream, CompressionLevel.Optimal, leaveOpen: true))
                        JsonRecordWriter.Write(records, zlib);
                    break;
                case RecordFileFormat.Json:
                    JsonRecordWriter.Write(records, stream);
                    break;
                case RecordFileFormat.PerfScript:
                    PerfScriptWriter.Write(records, stream);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(format));
            }
        }, mode, backupPath);
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
