using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Host;
using Damon.Host.Engine;
using Damon.Host.Sim;
using Damon.Modules.Common;
using Damon.Modules.Config;
using Damon.Modules.Hugepage;
using Damon.Modules.Shared;
using Damon.Sim.Operations;
using Damon.Tiering.Thp;

namespace Damon.Cli.Simulation;

/// <summary>
/// <c>damon sim --module damon_hugepage</c>: the damos_hugepage-style module (vaddr, one process:
/// <c>target_pid</c>) on the simulated machine, started exclusively as the paddr modules are. Its
/// cold scheme's <c>nohugepage</c> splits underused THPs (thp_underused with max_ptes_none 409, the
/// THP bench's setting), so the module gives bloat back; collapse needs a free 2 MiB block. Its
/// stats are its two schemes' (<c>collapse_*</c>, <c>cold_*</c>: the nohugepage one) with the machine's
/// AnonHugePages, bloat and hugepage_mem_bp.
/// </summary>
internal sealed class HugepageSimModule : SimModule
{
    private HugepageParams _params;
    private SimBackend? _backend;
    private Kdamond? _kdamond;

    public HugepageSimModule(string? paramsFile, IReadOnlyList<string> writes)
    {
        _params = InitialParams<HugepageParams>(paramsFile, writes);
    }

    public override string Name => HugepageParams.ModuleName;
    public override string ParamsYaml => ModuleParamsFile.ToYaml(_params);

    public override IReadOnlyList<KeyValuePair<string, ulong>> Stats
    {
        get
        {
            if (_kdamond is null || _backend is null) return [];
            var schemes = _kdamond.Ctx.Schemes;
            var m = _backend.Machine;
            m.TryGetHugepageMem(out ulong thp, out ulong total, out ulong free);
            return
            [
                .. ModuleSchemeStats.Of(schemes, DamosAction.Collapse).Named("collapse_tried_regions", "collapsed_regions", "collapse_quota_exceeds"),
                .. ModuleSchemeStats.Of(schemes, DamosAction.Nohugepage).Named("cold_tried_regions", "cold_regions", "cold_quota_exceeds"),
                new("anon_huge_bytes", m.ThpBytes),
                new("thp_bloat_bytes", m.ThpBloatBytes),
                new("hugepage_mem_bp", DamosQuotaGoalMetrics.HugepageMemBp(thp, total, free)),
            ];
        }
    }

    public override BackendContext Start(IEngineHost host, bool exclusive = true)
    {
        if (host is not SimBackend backend)
            throw new UserError($"{Name}: runs on the simulated machine only", ExitCodes.ConfigRejected);
        if (!backend.WorkloadPids.Contains(_params.TargetPid))
            throw new UserError($"{Name}: target_pid {_params.TargetPid} is not a process of the workload (its pids: {string.Join(", ", backend.WorkloadPids)}); give --module_param target_pid=PID",
                ExitCodes.ConfigRejected);
        // With split_underused, collapse honours max_ptes_none so the collapse scheme does not copy back what the
        // underused scheme splits (as ThpRun runs the module).
        var ops = new SimVaddrOperations(backend.Machine)
        {
            NohugepageShrink = ThpShrink.Split, ThpMaxPtesNone = ThpRun.MaxPtesNone, CollapseMaxPtesNone = CollapseLimit(_params),
        };
        var module = new HugepageModule(_params, host.Seed);
        try
        {
            var ctx = module.BuildContext(ops, host.Metrics);
            _kdamond = host.Engine.Start([ctx], exclusive)[0];
        }
        catch (ModuleParamException e)
        {
            throw new UserError($"{Name}: {e.Message}", ExitCodes.ConfigRejected);
        }
        catch (DamonException e)
        {
            throw new UserError($"{Name}: rejected: {e.Message}", ExitCodes.ConfigRejected);
        }
        _backend = backend;
        return host.RunStarted(_kdamond, OperationsId.Vaddr, Name);
    }

    /// <summary>The shared context is one paddr context; this module monitors one process's virtual address space.</summary>
    public override void Attach(IEngineHost host, SharedContext shared) => throw NotShareable();

    public override ISharedModule ForStaging(IMemoryLayout layout) => throw NotShareable();

    private UserError NotShareable() =>
        new($"{Name}: monitors one process's virtual address space (vaddr), so it cannot join the shared physical-address context of other modules; run it alone or with --separate_kdamonds",
            ExitCodes.ConfigRejected);

    public override DamonContext Stage(IMemoryLayout layout, DamonOperations paddrOps) =>
        throw new UserError($"{Name}: runs on the simulated machine only (no kernel has the module; damon sim --module {Name})", ExitCodes.ConfigRejected);

    public override void CheckCommitFiles(IEnumerable<string> paths)
    {
        var p = _params;
        foreach (string path in paths)
            Check(p = ReadParamsFile(path, p), path);
    }

    /// <summary>What a start checks, for a commit file: the parameters together, and a target the workload has.</summary>
    private void Check(HugepageParams p, string path)
    {
        try
        {
            p.Validate();
        }
        catch (ModuleParamException e)
        {
            throw new UserError($"{path}: {Name}: {e.Message}", ExitCodes.ConfigRejected);
        }
        if (_backend is { } backend && !backend.WorkloadPids.Contains(p.TargetPid))
            throw new UserError($"{path}: {Name}: target_pid {p.TargetPid} is not a process of the workload (its pids: {string.Join(", ", backend.WorkloadPids)})",
                ExitCodes.ConfigRejected);
    }

    /// <summary>commit_inputs=Y: the new parameters' schemes committed into the running context (quota and goal state kept by index).</summary>
    public override void Commit(string path)
    {
        var kdamond = _kdamond ?? throw new InvalidOperationException("commit before start");
        var p = ReadParamsFile(path, _params);
        var module = new HugepageModule(p, 0);
        Check(p, path);
        kdamond.Call(running =>
        {
            var staged = new DamonContext(0) { Ops = running.Ops };
            DamonCore.SetAttrs(staged, p.MonAttrs.ToAttrs());
            staged.AddTarget(new Target(p.TargetPid));
            module.AddSchemes(staged, staged.Attrs);
            DamonCore.CommitCtx(running, staged);
            if (running.Ops is SimVaddrOperations ops)
                ops.CollapseMaxPtesNone = CollapseLimit(p);
        });
        _params = p;
    }

    private static uint? CollapseLimit(HugepageParams p) => p.SplitUnderused ? ThpRun.MaxPtesNone : null;
}
