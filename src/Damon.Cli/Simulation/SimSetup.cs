using Damon.Config;
using Damon.Config.Args;
using Damon.Config.Engine;
using Damon.Config.Schema;
using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Sim;
using Damon.Sim.Machine;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Catalog;

namespace Damon.Cli.Simulation;

/// <summary>
/// Builds a <see cref="Damon.Sim.Running.Simulation"/> from a run request: the machine, the
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
        var sim = NewSimulation(request);
        var contexts = withContexts ? AddContexts(sim, request.DamoTokens) : [];
        return new SimSession(request, sim, contexts);
    }

    /// <summary>A run of <paramref name="module"/> (started now, on the simulation's engine), or of damo's contexts when null.</summary>
    public static SimSession Create(SimRunRequest request, ModuleRun? module)
    {
        if (module is null)
            return Create(request);
        var sim = NewSimulation(request);
        var k = module.Module.Start(sim);
        module.Module.CheckCommitFiles(module.Commits.Select(c => c.File));
        var ctx = new SimContext(0, 0, Damon.Core.Operations.OperationsId.Paddr, k.Ctx) { Name = module.Module.Name };
        return new SimSession(request, sim, [ctx]);
    }

    private static Damon.Sim.Running.Simulation NewSimulation(SimRunRequest request)
    {
        var machine = LoadMachine(request.MachinePath);
        var workload = CreateWorkload(request.WorkloadSpec);
        try
        {
            return new Damon.Sim.Running.Simulation(machine, workload, request.Seed);
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

    private static List<SimContext> AddContexts(Damon.Sim.Running.Simulation sim, IReadOnlyList<string> tokens)
    {
        KdamondsSpec spec;
        try
        {
            var args = DamoArgs.Parse(tokens);
            // damo monitors physical memory when given no target; a simulated run has its
            // workload to watch, so it monitors the workload's processes unless told otherwise.
            if (!args.Given("ops") && !args.Given("target_pid") && !args.Given("kdamonds") && args.DeducibleTarget is null)
                args = DamoArgs.Parse([.. tokens, "--ops", "vaddr"]);
            spec = KdamondsBuilder.Build(args, SimMemoryLayout.Of(sim.Machine));
        }
        catch (ConfigException e)
        {
            throw new UserError(e.Message, e.File is null ? ExitCodes.UsageError : ExitCodes.InputError);
        }
        var pids = sim.Machine.Processes.Where(p => p.Alive).Select(p => p.Pid).ToList();
        var memcgs = new MemcgPathTable();
        var result = new List<SimContext>();
        for (int k = 0; k < spec.Kdamonds.Count; k++)
        {
            for (int c = 0; c < spec.Kdamonds[k].Contexts.Count; c++)
            {
                var ctxSpec = spec.Kdamonds[k].Contexts[c];
                string path = $"kdamonds[{k}].contexts[{c}]";
                if (ctxSpec.Ops is "vaddr" or "fvaddr")
                    ctxSpec.Targets = ResolveVaddrTargets(sim, ctxSpec.Targets, pids);
                EngineContext built;
                try
                {
                    built = ContextMapping.ToEngine(ctxSpec, memcgs, sim.Machine.Seed, path);
                }
                catch (ConfigException e)
                {
                    // The mapping runs the engine's own validation: a rejection is the kernel's -EINVAL.
                    throw new UserError(e.Message, e.InnerException is DamonException ? ExitCodes.ConfigRejected
                        : e.File is null ? ExitCodes.UsageError : ExitCodes.InputError);
                }
                result.Add(new SimContext(k, c, built.OpsId, Adopt(sim, built)) { Memcgs = memcgs });
            }
        }
        return result;
    }

    /// <summary>Targets without a pid stand for the workload: one target per process it runs.</summary>
    private static List<TargetSpec> ResolveVaddrTargets(Damon.Sim.Running.Simulation sim, List<TargetSpec> targets, List<int> pids)
    {
        var resolved = new List<TargetSpec>();
        bool workloadAdded = false;
        foreach (var t in targets)
        {
            if (t.Pid is int pid)
            {
                if (sim.Machine.TryGetProcess(pid) is null)
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

    /// <summary>
    /// Moves a context the config mapping built onto the simulation's own context (which has the
    /// machine's operations set, metrics and a seeded generator).
    /// </summary>
    private static DamonContext Adopt(Damon.Sim.Running.Simulation sim, EngineContext built)
    {
        var src = built.Context;
        var ctx = sim.AddContext(built.OpsId);
        ctx.AddrUnit = src.AddrUnit;
        ctx.MinRegionSz = src.MinRegionSz;
        ctx.Pause = src.Pause;
        DamonCore.SetAttrs(ctx, src.Attrs);
        foreach (var t in src.Targets.ToList())
            ctx.AddTarget(t);
        ctx.Probes.AddRange(src.Probes);
        foreach (var s in src.Schemes)
            DamosCore.AddScheme(ctx, s);
        return ctx;
    }
}
