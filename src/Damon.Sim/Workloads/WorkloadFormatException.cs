namespace Damon.Sim.Workloads;

/// <summary>
/// A workload description (masim config, lackey trace, workload spec) that cannot be used. The
/// message always names the source and, when there is one, the line, so a user can fix the input.
/// </summary>
public class WorkloadFormatException : Exception
{
    /// <summary>The file, or the spec string, that was being read.</summary>
    public string Input { get; }

    /// <summary>1-based line of the problem, or 0 when the problem is not tied to a line.</summary>
    public long Line { get; }

    public string Reason { get; }

    public WorkloadFormatException(string source, long line, string reason)
        : base(line > 0 ? $"{source}:{line}: {reason}" : $"{source}: {reason}")
    {
        Input = source;
        Line = line;
        Reason = reason;
    }

    protected WorkloadFormatException(string source, long line, string reason, string message)
        : base(message)
    {
        Input = source;
        Line = line;
        Reason = reason;
    }
}
