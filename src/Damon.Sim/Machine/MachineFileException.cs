namespace Damon.Sim.Machine;

/// <summary>A machine file is malformed or breaks a rule; the message names file, line, field and rule.</summary>
public sealed class MachineFileException(string file, long line, string field, string rule)
    : MachineSpecException(field, rule, line > 0 ? $"{file}:{line}: {field}: {rule}" : $"{file}: {field}: {rule}")
{
    public string File { get; } = file;
    public long Line { get; } = line;
}
