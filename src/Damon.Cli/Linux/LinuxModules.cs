using Damon.Config.Engine;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Host;

namespace Damon.Cli.Linux;

/// <summary>
/// A module (damon_reclaim, damon_lru_sort, damon_tier) on the real machine: its parameters
/// (--module_params, --module_param, as for `damon sim --module`) staged by its own
/// damon_*_apply_parameters into a paddr context on /proc/iomem's System RAM, which the backend
/// starts as its own exclusive kdamond, named after the module.
/// </summary>
internal static class LinuxModules
{
    public static ContextRequest Stage(Simulation.SimModule module, LinuxMachine machine)
    {
        var ctx = module.Stage(machine.Layout, new StagingPaddrOps());
        return new ContextRequest(new EngineContext(OperationsId.Paddr, ctx), module.Name);
    }

    /// <summary>
    /// The operations set a staged context names: only its id is read (the backend attaches the
    /// real one, the kernel's paddr or user mode's), as the kernel stages parameters into a
    /// context that is never run.
    /// </summary>
    private sealed class StagingPaddrOps : DamonOperations
    {
        public override OperationsId Id => OperationsId.Paddr;
        public override OpsCallbacks Callbacks => OpsCallbacks.None;
    }
}
