namespace Damon.Sim;

/// <summary>The simulated program did something the machine cannot do (segfault, out of memory).</summary>
public sealed class SimulationException(string message) : Exception(message);
