namespace Damon.Sim.Machine;

/// <summary>A machine description breaks a rule. <see cref="Field"/> is the JSON path of the offending value.</summary>
public class MachineSpecException(string field, string rule, string? message = null)
    : Exception(message ?? $"{field}: {rule}")
{
    public string Field { get; } = field;
    public string Rule { get; } = rule;
}
