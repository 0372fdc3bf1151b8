namespace Damon.Guest;

/// <summary>Runs cases one after another and prints one line per case and the closing count line.</summary>
public sealed class SuiteRunner(GuestContext context, TextWriter output)
{
    public int Run(IReadOnlyList<GuestCase> cases)
    {
        int passed = 0, failed = 0, skipped = 0;
        foreach (var c in cases)
        {
            var result = RunOne(c);
            switch (result.Outcome)
            {
                case CaseOutcome.Pass: passed++; output.WriteLine($"PASS {c.Name}"); break;
                case CaseOutcome.Fail: failed++; output.WriteLine($"FAIL {c.Name}: {OneLine(result.Reason)}"); break;
                default: skipped++; output.WriteLine($"SKIP {c.Name}: {OneLine(result.Reason)}"); break;
            }
            output.Flush();
        }
        output.WriteLine($"guest: {passed} passed, {failed} failed, {skipped} skipped");
        return failed == 0 ? 0 : 1;
    }

    private CaseResult RunOne(GuestCase c)
    {
        // Outside the marked guest nothing may touch the kernel: every case is skipped, never passed.
        if (!context.IsGuest)
            return CaseResult.Skip($"not the test-bed guest (no '{GuestContext.MarkerWord}' in /proc/cmdline)");
        try
        {
            return c.Run(context);
        }
        catch (Exception e)
        {
            return CaseResult.Fail($"{e.GetType().Name}: {e.Message}");
        }
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");
}
