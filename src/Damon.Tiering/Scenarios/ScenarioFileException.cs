namespace Damon.Tiering.Scenarios;

/// <summary>A scenario file is malformed or breaks a rule: <c>FILE: line L: field: rule</c>.</summary>
public sealed class ScenarioFileException(string file, long line, string field, string rule)
    : Exception(line > 0 ? $"{file}: line {line}: {field}: {rule}" : $"{file}: {field}: {rule}")
{
    public string File { get; } = file;
    public long Line { get; } = line;
    public string Field { get; } = field;
    public string Rule { get; } = rule;
}
