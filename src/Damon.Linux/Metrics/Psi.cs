using System.Globalization;
using Damon.Linux.Procfs;

namespace Damon.Linux.Metrics;

/// <summary>One PSI line: "some avg10=0.00 avg60=0.00 avg300=0.00 total=123496935" (total in µs).</summary>
public readonly record struct PsiLine(double Avg10, double Avg60, double Avg300, ulong TotalUs);

/// <summary>/proc/pressure/memory (or a cgroup's memory.pressure): the "some" and "full" lines.</summary>
public sealed record PressureStall(PsiLine Some, PsiLine? Full)
{
    public const string MemoryPath = "/proc/pressure/memory";

    public static PressureStall Read(string path) => Parse(LinuxFiles.ReadText(path), path);

    public static PressureStall Parse(string text, string path)
    {
        PsiLine? some = null, full = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 5 || (f[0] != "some" && f[0] != "full"))
                throw new LinuxSourceException(path, $"expected 'some|full avg10=X avg60=X avg300=X total=N', found '{line}'");
            var p = new PsiLine(Avg(f[1], "avg10", path), Avg(f[2], "avg60", path), Avg(f[3], "avg300", path), Total(f[4], path));
            if (f[0] == "some") some = p; else full = p;
        }
        return new PressureStall(some ?? throw new LinuxSourceException(path, "has no 'some' line"), full);
    }

    private static string Value(string field, string key, string path) =>
        field.StartsWith(key + "=", StringComparison.Ordinal) ? field[(key.Length + 1)..]
            : throw new LinuxSourceException(path, $"expected {key}=..., found '{field}'");

    private static double Avg(string field, string key, string path) =>
        double.TryParse(Value(field, key, path), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw new LinuxSourceException(path, $"{key}: expected a decimal, found '{field}'");

    private static ulong Total(string field, string path) => LinuxFiles.ParseU64(Value(field, "total", path), path, "total");
}
