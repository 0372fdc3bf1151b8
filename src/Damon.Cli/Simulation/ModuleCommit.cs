namespace Damon.Cli.Simulation;

/// <summary>A parameter file to commit to the running module <paramref name="Module"/> (by name) at a simulated time.</summary>
internal sealed record ModuleCommit(ulong AtUs, string File, string Module);
