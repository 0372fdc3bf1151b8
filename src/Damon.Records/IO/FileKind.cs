using System.Runtime.InteropServices;

namespace Damon.Records.IO;

/// <summary>
/// Whether a path names something an atomic write may replace. <see cref="AtomicFile"/> renames
/// a temporary file over its target; over a device or FIFO (<c>--out /dev/null</c>) that would
/// replace the node itself with a regular file, and damo's own rename is likewise only for
/// <c>os.path.isfile()</c> targets. .NET does not expose the file type on Unix (a character
/// device reports <c>FileAttributes.Normal</c>), so it is read with stat(2).
/// </summary>
public static class FileKind
{
    private const uint S_IFMT = 0xF000;
    private const uint S_IFREG = 0x8000;

    /// <summary>True when <paramref name="path"/> exists (following links) and is neither a regular file nor a directory.</summary>
    public static bool IsSpecial(string path)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(path))
            return false;
        // st_mode's offset in glibc's struct stat; other layouts are not guessed at.
        int modeOffset = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 24,
            Architecture.Arm64 => 16,
            _ => -1,
        };
        if (modeOffset < 0)
            return false;
        var buf = new byte[256];
        try
        {
            if (Stat(path, buf) != 0)
                return false;
        }
        catch (EntryPointNotFoundException)
        {
            // glibc before 2.33 exports only __xstat: keep the old behaviour rather than guess.
            return false;
        }
        uint mode = BitConverter.ToUInt32(buf, modeOffset);
        return (mode & S_IFMT) != S_IFREG;
    }

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] statBuf);
}
