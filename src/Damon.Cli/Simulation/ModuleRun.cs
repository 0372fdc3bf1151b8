namespace Damon.Cli.Simulation;

/// <summary>
/// The modules a simulated run starts instead of damo-described contexts, in --module order, and
/// their planned re-commits. Several share one context (DAMON-X) unless <paramref name="Separate"/>.
/// </summary>
internal sealed record ModuleRun(IReadOnlyList<SimModule> Modules, IReadOnlyList<ModuleCommit> Commits, bool Separate)
{
    /// <summary>Several modules in one <see cref="Damon.Modules.Shared.SharedContext"/>.</summary>
    public bool Shared => Modules.Count > 1 && !Separate;

    public SimModule Of(string name) => Modules.First(m => m.Name == name);
}
