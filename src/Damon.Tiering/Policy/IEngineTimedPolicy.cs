namespace Damon.Tiering.Policy;

/// <summary>
/// A policy whose work runs inside the simulation's kdamonds: the harness hands it the host time
/// of the whole run, and the policy subtracts the workload's share to report its own cost.
/// </summary>
public interface IEngineTimedPolicy
{
    /// <summary>Host Stopwatch ticks of the whole run (engine and workload), set by the harness.</summary>
    long RunTicks { set; }
}
