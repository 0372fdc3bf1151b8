namespace Damon.Linux.Procfs;

/// <summary>
/// A /proc or /sys file that is missing, unreadable or not in the kernel's format. The message is
/// one line naming the file and what is wrong with it, fit for <c>damon: ...</c>.
/// </summary>
public sealed class LinuxSourceException(string path, string reason) : Exception($"{path}: {reason}")
{
    public string Path { get; } = path;
    public string Reason { get; } = reason;
}

/// <summary>Reading /proc and /sys text files with one-line errors instead of IO stack traces.</summary>
public static class LinuxFiles
{
    public static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (FileNotFoundException) { throw new LinuxSourceException(path, "no such file"); }
        catch (DirectoryNotFoundException) { throw new LinuxSourceException(path, "no such file (its directory is missing)"); }
        catch (UnauthorizedAccessException) { throw new LinuxSourceException(path, "permission denied (needs root or CAP_SYS_ADMIN)"); }
        catch (IOException e) { throw new LinuxSourceException(path, "cannot be read: " + e.Message); }
    }

    /// <summary>The file's text, or null when it does not exist (an optional kernel feature).</summary>
    public static string? ReadTextIfExists(string path) => File.Exists(path) ? ReadText(path) : null;

    /// <summary>An unsigned decimal field, or a format error naming the file and the field.</summary>
    public static ulong ParseU64(string text, string path, string field)
    {
        if (!ulong.TryParse(text.AsSpan().Trim(), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out ulong v))
            throw new LinuxSourceException(path, $"{field}: expected an unsigned integer, found '{text.Trim()}'");
        return v;
    }

    /// <summary>Open a binary file (pagemap, kpageflags) for positioned reads.</summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenRead(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (FileNotFoundException) { throw new LinuxSourceException(path, "no such file"); }
        catch (DirectoryNotFoundException) { throw new LinuxSourceException(path, "no such file (the process exited or the kernel lacks it)"); }
        catch (UnauthorizedAccessException) { throw new LinuxSourceException(path, "permission denied (needs root or CAP_SYS_ADMIN)"); }
        catch (IOException e) { throw new LinuxSourceException(path, "cannot be opened: " + e.Message); }
    }

    /// <summary>
    /// Fill <paramref name="dst"/> from <paramref name="offset"/> with positioned reads (one pread
    /// unless the kernel returns less); <paramref name="where"/> names the position in errors.
    /// </summary>
    public static void PreadExact(Microsoft.Win32.SafeHandles.SafeFileHandle fd, Span<byte> dst, long offset, string path, Func<int, string> where)
    {
        int done = 0;
        while (done < dst.Length)
        {
            int n;
            try { n = RandomAccess.Read(fd, dst[done..], offset + done); }
            catch (IOException e) { throw new LinuxSourceException(path, $"read at {where(done)} failed: {e.Message}"); }
            if (n == 0) throw new LinuxSourceException(path, $"ended before {where(done)}");
            done += n;
        }
    }
}
