using Damon.Records.IO;

namespace Damon.Cli;

/// <summary>
/// Output files of the commands: written atomically (temporary file, then rename), their places
/// checked before long runs, and failures reported as one line naming the target, not the
/// temporary file.
/// </summary>
internal static partial class OutputFiles
{
    public static void WriteText(string path, string text) =>
        Write(path, s => s.Write(System.Text.Encoding.UTF8.GetBytes(text)));

    public static void Write(string path, Action<Stream> write)
    {
        try { AtomicFile.Write(path, write); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{path}: cannot write ({Reason(e)})");
        }
    }

    public static void CreateDirectory(string dir)
    {
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{dir}: cannot create the directory ({Reason(e)})");
        }
    }

    /// <summary>The file's directory must exist: AtomicFile writes a temporary file beside it.</summary>
    public static void CheckFileDirectory(string path)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        if (!Directory.Exists(dir))
            throw new UserError($"{path}: cannot write (directory {dir} does not exist)");
    }

    /// <summary>Why a write failed, without the temporary file's name the exception carries.</summary>
    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "a directory on the path does not exist",
        PathTooLongException => "path too long",
        _ => TempPath().Replace(e.Message, ""),
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"\s*:?\s*'[^']*\.tmp'")]
    private static partial System.Text.RegularExpressions.Regex TempPath();
}
