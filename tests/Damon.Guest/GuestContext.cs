namespace Damon.Guest;

/// <summary>What a case may know about where it runs.</summary>
public sealed class GuestContext
{
    /// <summary>The word launch.sh puts on the guest kernel's command line; nothing runs without it.</summary>
    public const string MarkerWord = "testbed_guest";

    public GuestContext(string cmdline, string? expectedKernel)
    {
        CmdlineWords = cmdline.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        IsGuest = CmdlineWords.Contains(MarkerWord);
        ExpectedKernel = expectedKernel ?? CmdlineValue("testbed_kernel");
    }

    public IReadOnlyList<string> CmdlineWords { get; }

    /// <summary>True only inside the marked test-bed guest; cases that touch the kernel rely on it.</summary>
    public bool IsGuest { get; }

    /// <summary>The kernel release the host launched (--expect-kernel, else testbed_kernel= of the command line).</summary>
    public string? ExpectedKernel { get; }

    public string? CmdlineValue(string key)
    {
        string prefix = key + "=";
        return CmdlineWords.LastOrDefault(w => w.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
    }

    public static GuestContext FromProc(string? expectedKernel)
    {
        string cmdline = File.Exists("/proc/cmdline") ? File.ReadAllText("/proc/cmdline") : "";
        return new GuestContext(cmdline, expectedKernel);
    }
}
