using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Host;
using Damon.Host.Engine;
using Damon.Modules.Common;
using Damon.Modules.Config;
using Damon.Modules.Hugepage;
using Damon.Modules.LruSort;
using Damon.Modules.Reclaim;
using Damon.Modules.Shared;
using Damon.Modules.Stat;
using Damon.Modules.Tier;

namespace Damon.Cli.Simulation;

/// <summary>
/// A DAMON module (DAMON_RECLAIM, DAMON_LRU_SORT, DAMON_TIER, DAMON_STAT) run on the simulated machine from
/// <c>damon sim --module</c>: parameters from a file and <c>--module_param</c> writes, started
/// exclusively on the backend's in-process engine as <c>enabled=Y</c> does, and re-committed on the
/// running kdamond from further files as <c>commit_inputs=Y</c> does. Several attach to one
/// <see cref="SharedContext"/> instead (<c>damon sim --module a --module b</c>), where a commit
/// re-tunes the module in place (<see cref="SharedContext.Retune"/>).
/// </summary>
internal abstract class SimModule
{
    public static IReadOnlyList<string> Names { get; } = [ReclaimParams.ModuleName, LruSortParams.ModuleName, TierParams.ModuleName,
        StatParams.ModuleName, HugepageParams.ModuleName];

    public abstract string Name { get; }
    /// <summary>The parameters as the module holds them now (after start: with the picked region).</summary>
    public abstract string ParamsYaml { get; }
    public abstract IReadOnlyList<KeyValuePair<string, ulong>> Stats { get; }
    /// <summary>Stats that may be negative (DAMON_STAT's idle-time percentiles), after <see cref="Stats"/>.</summary>
    public virtual IReadOnlyList<KeyValuePair<string, long>> SignedStats => [];

    /// <summary>Build, commit and start the module's context on the backend's engine; the backend runs it.</summary>
    /// <param name="exclusive">False only for modules run side by side (--separate_kdamonds), which the kernel would refuse.</param>
    public abstract BackendContext Start(IEngineHost host, bool exclusive = true);

    /// <summary>
    /// Make the module on the backend, check its parameters as a start would (a rejected
    /// configuration names the module) and attach it to <paramref name="shared"/>, which is not
    /// started yet; later commits re-tune it there.
    /// </summary>
    public abstract void Attach(IEngineHost host, SharedContext shared);

    /// <summary>
    /// damon_*_apply_parameters' staged context for a backend that starts it itself (the real
    /// kernel): the parameters validated and built on <paramref name="layout"/>'s System RAM.
    /// </summary>
    public abstract DamonContext Stage(IMemoryLayout layout, DamonOperations paddrOps);

    /// <summary>The module made on <paramref name="layout"/> for a shared context a backend stages and starts itself (the real kernel).</summary>
    public abstract ISharedModule ForStaging(IMemoryLayout layout);

    /// <summary>
    /// Check, once started and before the run, that the files would commit one after the other:
    /// each over the parameters the previous left (the first over those the start filled in).
    /// </summary>
    public abstract void CheckCommitFiles(IEnumerable<string> paths);

    /// <summary>Write <paramref name="path"/>'s parameters over the current ones and commit them.</summary>
    public abstract void Commit(string path);

    /// <exception cref="UserError">an unknown module, or bad parameters (naming the file or option).</exception>
    public static SimModule Create(string name, string? paramsFile, IReadOnlyList<string> writes)
    {
        if (name == ReclaimParams.ModuleName)
            return new Typed<ReclaimParams>(paramsFile, writes,
                (p, layout, metrics, seed) => new ReclaimModule(p, layout, metrics, seed), m => ((ReclaimModule)m).NamedStats);
        if (name == LruSortParams.ModuleName)
            return new Typed<LruSortParams>(paramsFile, writes,
                (p, layout, metrics, seed) => new LruSortModule(p, layout, metrics, seed), m => ((LruSortModule)m).NamedStats);
        if (name == TierParams.ModuleName)
            return new Typed<TierParams>(paramsFile, writes,
                (p, layout, metrics, seed) => new TierModule(p, layout, metrics, seed), m => ((TierModule)m).NamedStats);
        if (name == StatParams.ModuleName)
            return new StatSimModule(paramsFile, writes);
        if (name == HugepageParams.ModuleName)
            return new HugepageSimModule(paramsFile, writes);
        throw new UserError($"--module: unknown module '{name}' (known: {string.Join(", ", Names)})", ExitCodes.UsageError);
    }

    private sealed class Typed<TParams> : SimModule where TParams : class, IModuleParams<TParams>
    {
        private readonly Func<TParams, IMemoryLayout, IDamonMetrics?, ulong, PaddrModule<TParams>> _create;
        private readonly Func<PaddrModule<TParams>, IReadOnlyList<KeyValuePair<string, ulong>>> _stats;
        private readonly TParams _initial;
        private PaddrModule<TParams>? _module;
        private SharedContext? _shared;

        public Typed(string? paramsFile, IReadOnlyList<string> writes,
            Func<TParams, IMemoryLayout, IDamonMetrics?, ulong, PaddrModule<TParams>> create,
            Func<PaddrModule<TParams>, IReadOnlyList<KeyValuePair<string, ulong>>> stats)
        {
            _create = create;
            _stats = stats;
            _initial = InitialParams<TParams>(paramsFile, writes);
        }

        public override string Name => TParams.ModuleName;
        public override string ParamsYaml => ModuleParamsFile.ToYaml(_module?.Params ?? _initial);
        public override IReadOnlyList<KeyValuePair<string, ulong>> Stats => _module is null ? [] : _stats(_module);

        public override BackendContext Start(IEngineHost host, bool exclusive = true)
        {
            var module = _module = _create(_initial, host.Layout, host.Metrics, host.Seed);
            return Rejections(() => host.RunStarted(module.Start(host.Engine, exclusive), OperationsId.Paddr, Name));
        }

        public override void Attach(IEngineHost host, SharedContext shared)
        {
            var module = _module = _create(_initial, host.Layout, host.Metrics, host.Seed);
            var paddr = host.Engine.Registry.Get(OperationsId.Paddr);
            if (paddr is not null)
                Rejections(() => module.BuildParamContext(paddr));
            shared.Install(module);
            _shared = shared;
        }

        public override DamonContext Stage(IMemoryLayout layout, DamonOperations paddrOps)
        {
            var module = _module = _create(_initial, layout, null, 0);
            return Rejections(() => module.BuildParamContext(paddrOps));
        }

        public override ISharedModule ForStaging(IMemoryLayout layout) => _module = _create(_initial, layout, null, 0);

        public override void CheckCommitFiles(IEnumerable<string> paths)
        {
            var p = (_module ?? throw new InvalidOperationException("check before start")).Params;
            foreach (string path in paths)
                p = ReadParamsFile(path, p);
        }

        public override void Commit(string path)
        {
            var module = _module ?? throw new InvalidOperationException("commit before start");
            var before = module.Params;
            module.Params = ReadParamsFile(path, module.Params);
            if (_shared is not null)
            {
                // Refused at staging (Retune stages synchronously): the module keeps what runs.
                try { _shared.Retune(module); }
                catch (Exception e) when (e is DamonException or ModuleParamException)
                {
                    module.Params = before;
                    throw new UserError($"{path}: {Name}: rejected: {e.Message}", ExitCodes.ConfigRejected);
                }
            }
            else
                module.CommitInputs();
        }

    }

    /// <summary>
    /// The module's parameters: <paramref name="paramsFile"/> (an error there is the file's, exit 3) over the
    /// defaults, then the --module_param writes (an error there is the command line's, exit 2).
    /// </summary>
    protected static TParams InitialParams<TParams>(string? paramsFile, IReadOnlyList<string> writes) where TParams : class, IModuleParams<TParams>
    {
        var p = paramsFile is null ? TParams.Default : ReadParamsFile(paramsFile, TParams.Default);
        try
        {
            return ModuleParamsFile.Set(p, writes.Select(ParseWrite), "--module_param");
        }
        catch (ModuleParamException e)
        {
            throw new UserError(e.Message, ExitCodes.UsageError);
        }
    }

    /// <summary>A parameters file over <paramref name="basis"/>; an error names the file (exit 3).</summary>
    protected static TParams ReadParamsFile<TParams>(string path, TParams basis) where TParams : class, IModuleParams<TParams>
    {
        try
        {
            return ModuleParamsFile.Read(path, basis);
        }
        catch (ModuleParamException e)
        {
            throw new UserError(e.Message);
        }
    }

    /// <summary>What the module or the engine refuses at start: a rejected configuration (exit 4).</summary>
    protected T Rejections<T>(Func<T> start)
    {
        try
        {
            return start();
        }
        catch (ModuleParamException e)
        {
            throw new UserError($"{Name}: {e.Message}", ExitCodes.ConfigRejected);
        }
        catch (DamonException e)
        {
            throw new UserError($"{Name}: rejected: {e.Message}", ExitCodes.ConfigRejected);
        }
    }

    protected static (string Name, string Value) ParseWrite(string write)
    {
        int eq = write.IndexOf('=');
        if (eq <= 0)
            throw new UserError($"--module_param {write}: must be NAME=VALUE", ExitCodes.UsageError);
        return (write[..eq].Trim(), write[(eq + 1)..].Trim());
    }
}
