namespace Damon.Records.Reports;

/// <summary>A report cannot be produced from the given records and options (the user's input, not a bug).</summary>
public sealed class ReportException(string message, bool aboutRecord = false) : Exception(message)
{
    /// <summary>
    /// The record's content is the problem (no snapshot, no intervals), not an option: the CLI
    /// names the input file, as for any other bad input file.
    /// </summary>
    public bool AboutRecord { get; } = aboutRecord;
}
