namespace Damon.Records.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content: the
/// data goes to a temporary file in the same folder (same file system, so the rename is atomic),
/// is flushed to disk, and only then replaces the target.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> writeContent, UnixFileMode? mode = null)
    {
        var fullPath = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(fullPath) ?? ".";
        var tempPath = Path.Combine(dir, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                writeContent(stream);
                stream.Flush(flushToDisk: true);
            }
            if (mode is UnixFileMode unixMode && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(tempPath, unixMode);
            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure matters more than a leftover temp file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
