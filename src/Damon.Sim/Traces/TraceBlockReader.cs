using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Damon.Sim.Traces;

/// <summary>Fixed header of a trace file.</summary>
public readonly record struct TraceHeader(ushort Version, uint PageSize);

/// <summary>What a data block's header says.</summary>
public readonly record struct TraceBlockInfo(int Index, long Owner, ulong StartNs, ulong ComputeNs, long NrRecords,
    int PayloadBytes, long FirstRecord, long FileOffset);

/// <summary>
/// Walks the blocks of a trace file with its own position and buffer (positional reads on a shared
/// handle, so one reader per replayed thread can each skip the others' blocks cheaply). Any
/// truncation or corruption becomes a <see cref="TraceFormatException"/> naming the record.
/// </summary>
public sealed class TraceBlockReader
{
    private readonly SafeFileHandle _file;
    private readonly long _fileLength;
    private readonly string _path;
    private byte[] _buf;
    private long _bufFileOffset;   // file offset of _buf[0]
    private int _bufLen;
    private int _pos;              // read position in _buf

    private int _blockIndex;
    private long _recordIndex;     // records in all blocks before the current one
    private long _nrAccessesSeen = -1;

    public TraceBlockReader(SafeFileHandle file, string path, long startOffset, int blockIndex, long recordIndex, int bufferBytes = 1 << 20)
    {
        _file = file;
        _path = path;
        _fileLength = RandomAccess.GetLength(file);
        _buf = new byte[bufferBytes];
        _bufFileOffset = startOffset;
        _blockIndex = blockIndex;
        _recordIndex = recordIndex;
    }

    public string Path => _path;

    /// <summary>File offset of the next block.</summary>
    public long Offset => _bufFileOffset + _pos;

    public int BlockIndex => _blockIndex;

    /// <summary>Index of the first record of the next block.</summary>
    public long RecordIndex => _recordIndex;

    /// <summary>Payload of the block returned by the last <see cref="Next"/>; valid until the next call.</summary>
    public ReadOnlySpan<byte> Payload => _buf.AsSpan(_payloadStart, _payloadLen);

    private int _payloadStart, _payloadLen;

    public static TraceHeader ReadHeader(SafeFileHandle file, string path)
    {
        Span<byte> h = stackalloc byte[TraceFormat.HeaderBytes];
        int n = RandomAccess.Read(file, h, 0);
        if (n < 8 || !h[..8].SequenceEqual(TraceFormat.Magic))
            throw new TraceFormatException(path, 0, 0, "not a Damon trace (bad magic)");
        if (n < TraceFormat.HeaderBytes)
            throw new TraceFormatException(path, 0, n, $"truncated in the {TraceFormat.HeaderBytes}-byte header");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(h[8..]);
        ushort headerBytes = BinaryPrimitives.ReadUInt16LittleEndian(h[10..]);
        uint pageSize = BinaryPrimitives.ReadUInt32LittleEndian(h[12..]);
        if (version != TraceFormat.Version)
            throw new TraceFormatException(path, 0, 8, $"trace format version {version}; this build reads version {TraceFormat.Version}");
        if (headerBytes != TraceFormat.HeaderBytes)
            throw new TraceFormatException(path, 0, 10, $"header size {headerBytes}, expected {TraceFormat.HeaderBytes}");
        if (pageSize == 0 || (pageSize & (pageSize - 1)) != 0)
            throw new TraceFormatException(path, 0, 12, $"page size {pageSize} is not a power of two");
        return new TraceHeader(version, pageSize);
    }

    /// <summary>
    /// Reads the next data block's header and payload. Returns false at the end block (after
    /// checking it). Throws <see cref="TraceFormatException"/> if the file ends early or is corrupt.
    /// </summary>
    public bool Next(out TraceBlockInfo block) => Next(out block, headerOnly: false);

    /// <summary>
    /// With <paramref name="headerOnly"/>, returns the next block's header without consuming the
    /// block or reading its payload (to find where setup ends without touching thread data).
    /// </summary>
    public bool Next(out TraceBlockInfo block, bool headerOnly)
    {
        long blockOffset = Offset;
        int avail = Ensure(1 + 5 * Varint.MaxBytes);
        if (avail == 0)
            throw Error(blockOffset, $"truncated after record {_recordIndex - 1}: the end marker is missing (block {_blockIndex} would start here)");
        ReadOnlySpan<byte> s = _buf.AsSpan(_pos, avail);
        int p = 1;
        byte tag = s[0];
        if (tag == TraceFormat.EndBlockTag) { ReadEnd(blockOffset); block = default; return false; }
        if (tag != TraceFormat.DataBlockTag)
            throw Error(blockOffset, $"corrupt: block {_blockIndex} starts with byte 0x{tag:x2}, not a block tag");
        ulong owner, startNs, computeNs, nrRecords, payloadBytes;
        try
        {
            if (!Varint.TryRead(s, ref p, out owner) || !Varint.TryRead(s, ref p, out startNs)
                || !Varint.TryRead(s, ref p, out computeNs) || !Varint.TryRead(s, ref p, out nrRecords)
                || !Varint.TryRead(s, ref p, out payloadBytes))
                throw Error(blockOffset, $"truncated at record {_recordIndex}: the header of block {_blockIndex} is cut off");
        }
        catch (FormatException e) { throw Error(blockOffset, $"corrupt header of block {_blockIndex}: {e.Message}"); }
        if (payloadBytes > TraceFormat.MaxPayloadBytes || nrRecords > payloadBytes || nrRecords == 0 || owner > int.MaxValue)
            throw Error(blockOffset, $"corrupt header of block {_blockIndex} (owner {owner}, {nrRecords} records in {payloadBytes} bytes)");
        if (headerOnly)
        {
            block = new TraceBlockInfo(_blockIndex, (long)owner, startNs, computeNs, (long)nrRecords, (int)payloadBytes, _recordIndex, blockOffset);
            return true;
        }
        _pos += p;
        int need = (int)payloadBytes;
        int got = Ensure(need);
        if (got < need)
        {
            long complete = CountCompleteRecords(_buf.AsSpan(_pos, got), (long)nrRecords);
            throw ErrorAtRecord(_recordIndex + complete, _bufFileOffset + _pos + got,
                $"truncated at record {_recordIndex + complete}: block {_blockIndex} has {got} of its {need} payload bytes");
        }
        _payloadStart = _pos;
        _payloadLen = need;
        _pos += need;
        block = new TraceBlockInfo(_blockIndex, (long)owner, startNs, computeNs, (long)nrRecords, need, _recordIndex, blockOffset);
        _blockIndex++;
        _recordIndex += (long)nrRecords;
        return true;
    }

    /// <summary>Accesses counted by the end marker, once it has been read (else -1).</summary>
    public long EndNrAccesses => _nrAccessesSeen;

    public TraceFormatException Error(long offset, string reason) => new(_path, _recordIndex, offset, reason);

    public TraceFormatException ErrorAtRecord(long record, long offset, string reason) => new(_path, record, offset, reason);

    private void ReadEnd(long offset)
    {
        int avail = Ensure(1 + 3 * Varint.MaxBytes + 4);
        ReadOnlySpan<byte> s = _buf.AsSpan(_pos, avail);
        int p = 1;
        ulong nrBlocks, nrRecords, nrAccesses;
        try
        {
            if (!Varint.TryRead(s, ref p, out nrBlocks) || !Varint.TryRead(s, ref p, out nrRecords)
                || !Varint.TryRead(s, ref p, out nrAccesses) || s.Length - p < 4)
                throw Error(offset, $"truncated after record {_recordIndex - 1}: the end marker is cut off");
        }
        catch (FormatException e) { throw Error(offset, $"corrupt end marker: {e.Message}"); }
        if (!s.Slice(p, 4).SequenceEqual(TraceFormat.EndMagic))
            throw Error(offset, "corrupt end marker (bad magic)");
        if ((long)nrBlocks != _blockIndex || (long)nrRecords != _recordIndex)
            throw Error(offset, $"corrupt: the end marker counts {nrBlocks} blocks and {nrRecords} records, the file holds {_blockIndex} and {_recordIndex}");
        _pos += p + 4;
        if (Offset != _fileLength)
            throw Error(Offset, $"{_fileLength - Offset} unexpected bytes after the end marker");
        _nrAccessesSeen = (long)nrAccesses;
    }

    /// <summary>How many whole records a cut payload holds (to say which record the cut is in).</summary>
    private static long CountCompleteRecords(ReadOnlySpan<byte> p, long max)
    {
        int pos = 0;
        long n = 0;
        try
        {
            while (n < max && Varint.TryRead(p, ref pos, out ulong v))
            {
                if ((v & 1) != 0 && TraceEvent.Decode(p, ref pos, v >> 1) is null) break;
                n++;
            }
        }
        catch (FormatException) { }
        return n;
    }

    /// <summary>Makes up to <paramref name="n"/> bytes available at _pos; returns how many are (fewer only at end of file).</summary>
    private int Ensure(int n)
    {
        if (_bufLen - _pos >= n) return n;
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buf, _pos, _buf, 0, _bufLen - _pos);
            _bufFileOffset += _pos;
            _bufLen -= _pos;
            _pos = 0;
        }
        if (_buf.Length < n) Array.Resize(ref _buf, Math.Max(n, _buf.Length * 2));
        while (_bufLen < _buf.Length)
        {
            long at = _bufFileOffset + _bufLen;
            if (at >= _fileLength) break;
            int r = RandomAccess.Read(_file, _buf.AsSpan(_bufLen), at);
            if (r <= 0) break;
            _bufLen += r;
        }
        return Math.Min(n, _bufLen);
    }
}
