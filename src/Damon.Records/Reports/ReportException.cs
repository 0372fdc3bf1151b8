namespace Damon.Records.Reports;

/// <summary>A report cannot be produced from the given records and options (the user's input, not a bug).</summary>
public sealed class ReportException(string message) : Exception(message);
