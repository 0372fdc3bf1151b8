using System.Globalization;

namespace Damon.Linux.Sysfs;

/// <summary>How DAMON sysfs files spell values: decimal integers, Y/N booleans.</summary>
public static class SysfsText
{
    public static string Num(ulong v) => v.ToString(CultureInfo.InvariantCulture);

    public static string Num(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>damo writes booleans as Y/N; the kernel's kstrtobool also takes 1/0.</summary>
    public static string Bool(bool v) => v ? "Y" : "N";

    public static bool ParseBool(string text) => text.Trim() is "Y" or "y" or "1" or "on" or "true";

    public static ulong ParseUInt64(string path, string text) =>
        ulong.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new SysfsException($"damon: {path}: \"{text.Trim()}\" is not a number", path);

    public static long ParseInt64(string path, string text) =>
        long.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new SysfsException($"damon: {path}: \"{text.Trim()}\" is not a number", path);

    public static string Join(string dir, string name) => dir.Length == 0 ? name : dir + "/" + name;

    public static string Join(string dir, int idx) => Join(dir, idx.ToString(CultureInfo.InvariantCulture));
}
