using System.Text;
using Xunit;

namespace Damon.Fuzz.Tests;

/// <summary>
/// Runs a reader's cases one after another and fails with every broken rule, grouped by class.
/// Case i of a suite draws from <c>new Random(CaseSeed(seed, i))</c>, so any case can be rebuilt
/// alone, and its input is saved under the temp folder's damon-fuzz-failures/ when it fails.
/// </summary>
internal static class FuzzSuite
{
    private const int ListedPerClass = 3;

    public static int CaseSeed(int suiteSeed, int index) => unchecked(suiteSeed * 7919 + index);

    public static async Task Run(string name, int suiteSeed, int count, Func<CaseContext, FuzzCase> make)
    {
        using var root = new TempDir();
        var failures = new List<(int Index, FuzzCase Case, CaseOutcome Outcome, string? Saved)>();
        int ran = 0;
        for (int i = 0; i < count; i++)
        {
            string dir = Directory.CreateDirectory(Path.Combine(root.Path, $"case-{i}")).FullName;
            var c = make(new CaseContext(i, new Random(CaseSeed(suiteSeed, i)), dir));
            if (c.Mutation.Contains(Mutator.NestingMark, StringComparison.Ordinal))
                c = c with { Isolated = true };
            var outcome = await CaseRunner.Run(c, dir);
            ran++;
            if (outcome.Broken.Count > 0)
                failures.Add((i, c, outcome, Save(name, i, c)));
            // A hung case's thread may still be spinning: every later case would share its core,
            // and a second hang would take the other one. Report it and leave the rest for the fix.
            if (outcome.Hung) break;
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
        if (failures.Count > 0)
            Assert.Fail(Report(name, suiteSeed, count, ran, failures));
    }

    private static string? Save(string name, int index, FuzzCase c)
    {
        if (c.Input is null || !File.Exists(c.Input)) return null;
        string dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "damon-fuzz-failures", name)).FullName;
        string saved = Path.Combine(dir, $"case-{index}-{Path.GetFileName(c.Input)}");
        File.Copy(c.Input, saved, overwrite: true);
        return saved;
    }

    private static string Report(string name, int seed, int count, int ran,
        List<(int Index, FuzzCase Case, CaseOutcome Outcome, string? Saved)> failures)
    {
        var text = new StringBuilder();
        text.AppendLine($"{name}: {failures.Count} of {ran} cases broke the rules (suite seed {seed}, case i draws from new Random({seed} * 7919 + i)).");
        if (ran < count)
            text.AppendLine($"  stopped after case {ran - 1} hung: {count - ran} later cases did not run.");
        foreach (var group in failures.GroupBy(f => f.Outcome.Class))
        {
            text.AppendLine($"  [{group.Count()} case(s)] {group.Key}");
            foreach (var (index, c, outcome, saved) in group.Take(ListedPerClass))
            {
                text.AppendLine($"    case {index}: {c.Mutation}");
                text.AppendLine($"      damon {string.Join(' ', c.Args.Select(Quote))}");
                if (saved is not null) text.AppendLine($"      input saved as {saved}");
                text.AppendLine($"      broke: {string.Join("; ", outcome.Broken)}");
                if (outcome.Err.Length > 0)
                    text.AppendLine($"      stderr: {Clip(outcome.Err, 400)}");
            }
        }
        return text.ToString();
    }

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(ch => char.IsAsciiLetterOrDigit(ch) || "-_./:=,%+".Contains(ch)) ? arg : $"'{Clip(arg, 80)}'";

    private static string Clip(string s, int max)
    {
        s = s.Replace("\n", "\\n");
        return s.Length <= max ? s : s[..max] + $"… ({s.Length} chars)";
    }
}
