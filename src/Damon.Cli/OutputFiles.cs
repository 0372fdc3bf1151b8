using Damon.Records.IO;

namespace Damon.Cli;

/// <summary>
/// Output files of the commands: written atomically (temporary file, then rename), their places
/// checked before long runs, and failures reported as one line naming the target, not the
/// temporary file.
/// </summary>
public static partial class OutputFiles
{
    public static void WriteText(string path, string text) =>
        Write(path, s => s.Write(System.Text.Encoding.UTF8.GetBytes(text)));

    public static void Write(string path, Action<Stream> write)
    {
        try { AtomicFile.Write(path, write); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(path, e);
        }
    }

    /// <summary>The one-line error for a failed write of <paramref name="path"/>.</summary>
    public static UserError CannotWrite(string path, Exception e) => new($"{path}: cannot write ({Reason(e)})");

    public static void CreateDirectory(string dir)
    {
        if (dir.Length == 0)
            throw new UserError("'': cannot create the directory (an empty name)", ExitCodes.UsageError);
        if (File.Exists(dir))
            throw new UserError($"{dir}: cannot create the directory (a file of that name exists)");
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{dir}: cannot create the directory ({Reason(e)})");
        }
    }

    /// <summary>
    /// The file's directory must exist (AtomicFile writes a temporary file beside it) and the path
    /// must not be a directory. Called before any long work, so a typo costs nothing.
    /// </summary>
    public static void CheckFileDirectory(string path)
    {
        if (path.Length == 0)
            throw new UserError("'': cannot write (an empty file name)", ExitCodes.UsageError);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new UserError($"{path}: cannot write (it is a directory)");
        string dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir))
            throw new UserError($"{path}: cannot write (directory {dir} does not exist)");
        if (FileKind.IsSpecial(full))
            throw new UserError($"{path}: cannot write (not a regular file: a device, FIFO or socket, which the rename of a temporary file would replace)");
    }

    /// <summary>
    /// <see cref="CheckFileDirectory"/>, then removes temporary files an earlier, killed writer of
    /// the same file left behind.
    /// </summary>
    public static void Prepare(string path)
    {
        CheckFileDirectory(path);
        AtomicFile.RemoveStaleTemps(path);
    }

    /// <summary>Why a write failed, without the temporary file's name the exception carries.</summary>
    public static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "a directory on the path does not exist",
        PathTooLongException => "path too long",
        _ => TempPath().Replace(e.Message, "").TrimEnd('.', ' '),
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"\s*:?\s*'[^']*\.tmp'")]
    private static partial System.Text.RegularExpressions.Regex TempPath();
}
