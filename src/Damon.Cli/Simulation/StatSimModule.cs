using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Host;
using Damon.Host.Engine;
using Damon.Modules.Common;
using Damon.Modules.Config;
using Damon.Modules.Shared;
using Damon.Modules.Stat;

namespace Damon.Cli.Simulation;

/// <summary>
/// <c>damon sim --module damon_stat</c>: DAMON_STAT (mm/damon/stat.c) on the simulated machine,
/// alone (its own exclusive kdamond over the biggest System RAM, intervals tuned toward 4 %) or
/// attached to the shared context with other modules. Its stats are stat.c's read-only
/// parameters as of the last 5 s refresh: <c>estimated_memory_bandwidth</c> (bytes/s),
/// <c>aggr_interval_us</c> and <c>memory_idle_ms_percentiles</c> (signed: an accessed region
/// counts as minus its age, newer stat.c's rule), the latter in <see cref="SignedStats"/>.
/// stat.c has no <c>commit_inputs</c>: only <c>enabled</c> is writable.
/// </summary>
internal sealed class StatSimModule : SimModule
{
    /// <summary>The percentiles shown by name (all 101 are in stat.c's parameter; these summarise it).</summary>
    public static readonly int[] ShownPercentiles = [0, 25, 50, 75, 90, 99, 100];

    private readonly StatParams _params;
    private StatModule? _module;

    public StatSimModule(string? paramsFile, IReadOnlyList<string> writes)
    {
        _params = InitialParams<StatParams>(paramsFile, writes);
    }

    public override string Name => StatParams.ModuleName;
    public override string ParamsYaml => ModuleParamsFile.ToYaml(_params);

    public override IReadOnlyList<KeyValuePair<string, ulong>> Stats => _module is not { } m ? [] :
    [
        new("estimated_memory_bandwidth", m.Results.EstimatedMemoryBandwidth),
        new("aggr_interval_us", m.Results.AggrIntervalUs),
    ];

    public override IReadOnlyList<KeyValuePair<string, long>> SignedStats => _module is not { } m ? [] :
        [.. ShownPercentiles.Select(p => new KeyValuePair<string, long>($"memory_idle_ms_p{p}", m.Results.MemoryIdleMsPercentiles[p]))];

    public override BackendContext Start(IEngineHost host, bool exclusive = true)
    {
        var module = _module = new StatModule(_params, host.Layout, host.Seed);
        return Rejections(() => host.RunStarted(module.Start(host.Engine, exclusive), OperationsId.Paddr, Name));
    }

    public override void Attach(IEngineHost host, SharedContext shared)
    {
        var module = _module = new StatModule(_params, host.Layout, host.Seed);
        if (host.Engine.Registry.Get(OperationsId.Paddr) is { } paddr)
            Rejections(() => module.BuildContext(paddr));
        shared.Install(module);
    }

    public override DamonContext Stage(IMemoryLayout layout, DamonOperations paddrOps)
    {
        var module = _module = new StatModule(_params, layout);
        return Rejections(() => module.BuildContext(paddrOps));
    }

    public override ISharedModule ForStaging(IMemoryLayout layout) => _module = new StatModule(_params, layout);

    public override void CheckCommitFiles(IEnumerable<string> paths)
    {
        if (paths.FirstOrDefault() is { } path)
            throw NoCommit(path);
    }

    public override void Commit(string path) => throw NoCommit(path);

    private UserError NoCommit(string path) =>
        new($"--module_commit {path}: {Name} has no commit_inputs (stat.c's only writable parameter is enabled)", ExitCodes.UsageError);
}
