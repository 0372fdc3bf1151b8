namespace Damon.Fuzz.Tests;

/// <summary>
/// One generated command line: what was mutated (so a failure can be reproduced from the report
/// alone), the arguments, and the files the command may legitimately leave in the case folder.
/// </summary>
internal sealed record FuzzCase(string Mutation, string[] Args)
{
    /// <summary>The generated input file, saved beside the report when the case fails.</summary>
    public string? Input { get; init; }

    /// <summary>Output paths the command may write when it succeeds (or is stopped after saving).</summary>
    public string[] Outputs { get; init; } = [];

    /// <summary>
    /// Valid inputs of some verbs start long runs (a bench scenario, a huge simulated duration):
    /// they are stopped after this long, and exit 130 then counts as a clean outcome.
    /// </summary>
    public TimeSpan? StopAfter { get; init; }

    /// <summary>Run as a child process: the input may overflow the stack, which no handler survives.</summary>
    public bool Isolated { get; init; }
}
