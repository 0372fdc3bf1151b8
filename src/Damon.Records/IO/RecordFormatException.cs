namespace Damon.Records.IO;

/// <summary>
/// A record file could not be read. The message always names the file, where the problem is
/// (a byte offset, a line, or a JSON path such as <c>$[0].snapshots[3].regions[2].start</c>) and
/// what was expected there, so users can tell a truncated copy from a wrong file.
/// </summary>
public sealed class RecordFormatException : Exception
{
    public string FilePath { get; }
    /// <summary>"byte 1234", "line 17 (byte 2048)" or a JSON path.</summary>
    public string Location { get; }
    public string Expected { get; }

    public RecordFormatException(string filePath, string location, string expected, Exception? inner = null)
        : base($"{filePath}: at {location}: expected {expected}", inner)
    {
        FilePath = filePath;
        Location = location;
        Expected = expected;
    }
}
