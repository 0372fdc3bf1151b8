namespace Damon.Fuzz.Tests;

/// <summary>How one case ended, and every project rule it broke (empty: it behaved).</summary>
internal sealed record CaseOutcome(int? ExitCode, string Err, IReadOnlyList<string> Broken, bool Hung)
{
    /// <summary>
    /// The failure's class: exit code plus the first stderr line with paths, numbers and quoted
    /// text blurred, so a hundred cases of one bug read as one finding.
    /// </summary>
    public string Class
    {
        get
        {
            if (Hung) return "hang (in-process: cancellation ignored)";
            if (ExitCode is null) return "hang (child process killed)";
            string line = Err.Split('\n')[0];
            line = System.Text.RegularExpressions.Regex.Replace(line, @"/[^\s:,'""]+", "PATH");
            line = System.Text.RegularExpressions.Regex.Replace(line, @"'[^']*'|""[^""]*""", "'…'");
            line = System.Text.RegularExpressions.Regex.Replace(line, @"0x[0-9a-fA-F]+", "0xN");
            line = System.Text.RegularExpressions.Regex.Replace(line, @"\d+", "N");
            if (line.Length > 140) line = line[..140];
            return $"exit {ExitCode}: {line}";
        }
    }
}
