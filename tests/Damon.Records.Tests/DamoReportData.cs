namespace Damon.Records.Tests;

/// <summary>
/// damo's report test inputs and golden outputs, read in place from the shared data folder
/// beside the repository (never copied into it).
/// </summary>
public static class DamoReportData
{
    private static readonly Lazy<string> Dir = new(() => RepoPaths.SharedData("damo-report"));

    public static string Folder => Dir.Value;
    public static string ExpectsFolder => Path.Combine(Folder, "expects");

    public static string Input(string name) => Path.Combine(Folder, name);
    public static string Expected(string name) => Path.Combine(ExpectsFolder, name);

    /// <summary>Every record file of the folder (the inputs, not the expected outputs).</summary>
    public static IEnumerable<string> InputNames() =>
        Directory.GetFiles(Folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static IEnumerable<string> ExpectedNames() =>
        Directory.GetFiles(ExpectsFolder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
}
