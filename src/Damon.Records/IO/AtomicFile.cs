using System.Diagnostics;
using System.Globalization;

namespace Damon.Records.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content: the
/// data goes to a temporary file in the same folder (same file system, so the rename is atomic),
/// is flushed to disk, and only then replaces the target. Temporary files are named
/// <c>.NAME.PID.GUID.tmp</c> so that ones a killed process left behind can be told apart and
/// removed (<see cref="RemoveStaleTemps"/>).
/// </summary>
public static class AtomicFile
{
    /// <param name="backupPath">when the target exists, it is kept under this name (damo's FILE.old); the target never goes missing</param>
    public static void Write(string path, Action<Stream> writeContent, UnixFileMode? mode = null, string? backupPath = null)
    {
        var fullPath = Path.GetFullPath(path);
        if (FileKind.IsSpecial(fullPath))
            throw new IOException("not a regular file (a device, FIFO or socket), which the rename of a temporary file would replace");
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
            if (backupPath is not null && File.Exists(fullPath))
            {
                // On Unix, Replace hard-links the target to the backup name and renames the temp
                // file over the target: the old content is kept without a copy, and the target is
                // never missing.
                File.Replace(tempPath, fullPath, Path.GetFullPath(backupPath), ignoreMetadataErrors: true);
            }
            else
            {
                File.Move(tempPath, fullPath, overwrite: true);
            }
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    /// <summary>
    /// Deletes the temporary files of earlier writes of <paramref name="path"/> whose process is
    /// gone (a flush cut short by a kill or a crash). Those of live processes, this one included,
    /// may still be renamed into place and are left alone. Returns the files deleted.
    /// </summary>
    public static List<string> RemoveStaleTemps(string path) => RemoveTemps(path, pid => !IsAlive(pid));

    /// <summary>
    /// Deletes this process's temporary files of <paramref name="path"/>: a write abandoned by a
    /// forced exit, which ends the process before the write's own cleanup runs.
    /// </summary>
    public static List<string> RemoveOwnTemps(string path) => RemoveTemps(path, pid => pid == Environment.ProcessId);

    private static List<string> RemoveTemps(string path, Func<int, bool> ofProcess)
    {
        var removed = new List<string>();
        var fullPath = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(fullPath) ?? ".";
        string prefix = $".{Path.GetFileName(fullPath)}.";
        if (!Directory.Exists(dir)) return removed;
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateFiles(dir, prefix + "*.tmp").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return removed; }
        foreach (var temp in candidates)
        {
            // .NAME.PID.GUID.tmp: the pid is the second field from the end once NAME is cut off.
            string rest = Path.GetFileName(temp)[prefix.Length..^".tmp".Length];
            int dot = rest.IndexOf('.');
            if (dot <= 0 || rest.Length - dot - 1 != 32
                || !int.TryParse(rest.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                || !ofProcess(pid))
                continue;
            TryDelete(temp);
            if (!File.Exists(temp)) removed.Add(temp);
        }
        return removed;
    }

    private static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
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
