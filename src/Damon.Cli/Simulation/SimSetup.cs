using Damon.Config;
using Damon.Config.Args;
using Damon.Config.Engine;
using Damon.Config.Schema;
using Damon.Core;
using Damon.Host.Sim;
using Damon.Modules.Common;
using Damon.Modules.Shared;
using Damon.Sim;
using Damon.Sim.Machine;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Catalog;

namespace Damon.Cli.Simulation;

/// <summary>
/// Builds a <see cref="SimBackend"/> from a run request: the machine, the
/// workload, and the DAMON contexts damo's options describe. vaddr contexts given no
/// --target_pid monitor every process of the workload; paddr ones all of System RAM.
/// Every input problem becomes a one-line <see cref="UserError"/> with its exit code.
/// </summary>
internal static class SimSetup
{
    public static MachineSpec LoadMachine(string? path)
    {
        if (path is null) return MachineSpec.DefaultTwoTier();
        if (!File.Exists(path))
            throw new UserError(Directory.Exists(path) ? $"{path}: is a directory, not a machine file" : $"{path}: machine file not found");
        try
        {
            return MachineFile.Load(path);
        }
        catch (MachineFileException e)
        {
            throw new UserError(e.Message);
        }
    }

    public static IWorkload CreateWorkload(string spec)
    {
        try
        {
            return WorkloadCatalog.Create(spec);
        }
        catch (WorkloadFormatException e)
        {
            throw WorkloadError(e, spec);
        }
    }

    /// <summary>A bad spec string is a command-line mistake; a bad file it names is an input error.</summary>
    public static UserError WorkloadError(WorkloadFormatException e, string spec) =>
        new($"--workload: {e.Message}", e.Input == spec && e.Line == 0 ? ExitCodes.UsageError : ExitCodes.InputError);

    public static SimSession Create(SimRunRequest request, bool withContexts = true)
    {
        var session = new SimSession(request, NewBackend(request));
        if (withContexts)
            StartContexts(session.Sim, request.DamoTokens);
        return session;
    }

    /// <summary>
    /// A run of <paramref name="module"/>'s modules (started now, on the backend's engine: one
    /// alone as its own exclusive kdamond, several in one shared context or, with --separate_kdamonds,
    /// side by side), or of damo's contexts when null.
    /// </summary>
    public static SimSession Create(SimRunRequest request, ModuleRun? module)
    {
        if (module is null)
            return Create(request);
        var session = new SimSession(request, NewBackend(request));
        var host = session.Sim.EngineHost;
        if (module.Shared)
            StartShared(host, module.Modules);
        else
            foreach (var m in module.Modules)
                m.Start(host, exclusive: module.Modules.Count == 1);
        foreach (var m in module.Modules)
            m.CheckCommitFiles(module.Commits.Where(c => c.Module == m.Name).Select(c => c.File));
        return session;
    }

    /// <summary>DAMON-X: the modules attached in --module order, one kdamond named <see cref="SharedContext.KdamondName"/>.</summary>
    private static void StartShared(Damon.Host.Engine.IEngineHost host, IReadOnlyList<SimModule> modules)
    {
        var shared = new SharedContext(host.Metrics, host.Seed);
        foreach (var m in modules)
            m.Attach(host, shared);
        Damon.Core.Monitoring.Kdamond kdamond;
        try
        {
            kdamond = shared.Start(host.Engine);
        }
        catch (ModuleParamException e)
        {
            throw new UserError($"{SharedContext.KdamondName}: {e.Message}", ExitCodes.ConfigRejected);
        }
        catch (DamonException e)
        {
            throw new UserError($"{SharedContext.KdamondName}: rejected: {e.Message}", ExitCodes.ConfigRejected);
        }
        host.RunStarted(kdamond, Damon.Core.Operations.OperationsId.Paddr, SharedContext.KdamondName);
    }

    private static SimBackend NewBackend(SimRunRequest request)
    {
        var machine = LoadMachine(request.MachinePath);
        var workload = CreateWorkload(request.WorkloadSpec);
        try
        {
            return new SimBackend(new SimBackendOptions(machine, workload, request.Seed));
        }
        catch (WorkloadFormatException e)
        {
            throw WorkloadError(e, request.WorkloadSpec);
        }
        catch (SimulationException e)
        {
            throw new UserError($"simulation: {e.Message}", ExitCodes.ConfigRejected);
        }
    }

    /// <summary>damo's options as a kdamonds spec, its workload targets resolved, started on the backend (damon_commit_ctx into its contexts).</summary>
    private static void StartContexts(SimBackend backend, IReadOnlyList<string> tokens)
    {
        KdamondsSpec spec;
        try
        {
            var args = DamoArgs.Parse(tokens);
            // damo monitors physical memory when given no target; a simulated run has its
            // workload to watch, so it monitors the workload's processes unless told otherwise.
            // --numa_node is told otherwise: it means paddr in damo (damon_ctx_for defaults ops
            // to paddr without a pid; init_regions_for reads the node's System RAM for it), as
            // scripts/mem_tier.sh relies on.
            if (!args.Given("ops") && !args.Given("target_pid") && !args.Given("kdamonds") && !args.Given("numa_node")
                && args.DeducibleTarget is null)
                args = DamoArgs.Parse([.. tokens, "--ops", "vaddr"]);
            spec = KdamondsBuilder.Build(args, SimMemoryLayout.Of(backend.Machine));
        }
        catch (ConfigException e)
        {
            throw new UserError(e.Message, e.File is null ? ExitCodes.UsageError : ExitCodes.InputError);
        }
        var pids = backend.WorkloadPids;
        foreach (var k in spec.Kdamonds)
            foreach (var ctxSpec in k.Contexts)
                if (ctxSpec.Ops is "vaddr" or "fvaddr")
                    ctxSpec.Targets = ResolveVaddrTargets(backend, ctxSpec.Targets, pids);
        try
        {
            backend.Start(spec);
        }
        catch (ConfigException e)
        {
            // The mapping runs the engine's own validation: a rejection is the kernel's -EINVAL.
            throw new UserError(e.Message, e.InnerException is DamonException ? ExitCodes.ConfigRejected
                : e.File is null ? ExitCodes.UsageError : ExitCodes.InputError);
        }
        catch (DamonException e)
        {
            throw new UserError($"rejected: {e.Message}", ExitCodes.ConfigRejected);
        }
    }

    /// <summary>Targets without a pid stand for the workload: one target per process it runs.</summary>
    private static List<TargetSpec> ResolveVaddrTargets(SimBackend backend, List<TargetSpec> targets, IReadOnlyList<int> pids)
    {
        var resolved = new List<TargetSpec>();
        bool workloadAdded = false;
        foreach (var t in targets)
        {
            if (t.Pid is int pid)
            {
                if (backend.Machine.TryGetProcess(pid) is null)
                    throw new UserError($"--target_pid {pid}: the simulated workload has no such process (its pids: {string.Join(", ", pids)})", ExitCodes.UsageError);
                resolved.Add(t);
            }
            else if (!workloadAdded)
            {
                workloadAdded = true;
                foreach (var p in pids)
                    resolved.Add(new TargetSpec { Pid = p, Obsolete = t.Obsolete, Regions = t.Regions });
            }
        }
        return resolved;
    }
}
