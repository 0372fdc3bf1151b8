namespace Damon.Cli.Simulation;

/// <summary>The module a simulated run starts instead of damo-described contexts, and its planned re-commits.</summary>
internal sealed record ModuleRun(SimModule Module, IReadOnlyList<ModuleCommit> Commits);
