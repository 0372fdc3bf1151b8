using Damon.Sim.Workloads;

namespace Damon.Sim.Traces;

/// <summary>
/// A binary trace that cannot be read: bad header, corrupt or truncated. <see cref="RecordIndex"/>
/// is the 0-based index (over the whole file) of the first record that could not be read, and
/// <see cref="ByteOffset"/> where in the file the problem is.
/// </summary>
public sealed class TraceFormatException : WorkloadFormatException
{
    public long RecordIndex { get; }
    public long ByteOffset { get; }

    public TraceFormatException(string path, long recordIndex, long byteOffset, string reason)
        : base(path, 0, reason, $"{path}: {reason} (record {recordIndex}, byte offset {byteOffset})")
    {
        RecordIndex = recordIndex;
        ByteOffset = byteOffset;
    }
}
