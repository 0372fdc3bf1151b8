using Damon.Core.Schemes;
using Damon.Modules.Hugepage;
using Damon.Sim.Operations;

namespace Damon.Tiering.Thp;

/// <summary>Which DAMON module (if any) a THP run adds to the workload.</summary>
public enum ThpPolicyKind
{
    /// <summary>No DAMON.</summary>
    None,
    /// <summary>The damos_hugepage-style module (<see cref="HugepageModule"/>).</summary>
    Module,
    /// <summary>The Huawei-style collapse-only rival (<see cref="TopCpuCollapse"/>).</summary>
    TopCpu,
}

/// <summary>
/// What a THP run does besides the workload: the THP modes (<paramref name="ScenarioThp"/>: the
/// scenario file's per-process <c>thp</c> modes, which for the bench's files are <c>always</c>;
/// false: every process <c>thp: never</c>), and which DAMON module (if any) with which cold action.
/// </summary>
public sealed record ThpPolicy(string Name, string Description, bool ScenarioThp, ThpPolicyKind Kind, HugepageParams Params, ThpShrink Shrink)
{
    private const ulong MiB = 1UL << 20;

    /// <summary>
    /// The bench's module setting: hot = at least 10 % of the samples (a 4 KiB page of a 128 MiB
    /// random reader is seen in ~70 % of them, one of a 512 MiB reader in ~25 %), cold = idle 2 s,
    /// 8 MiB per 100 ms for each scheme, goal 95 % of used memory in THPs with the temporal tuner.
    /// </summary>
    public static HugepageParams BenchParams { get; } = HugepageParams.Default with
    {
        Enabled = true,
        HotThresAccessFreq = 100,
        ColdMinAgeUs = 2_000_000,
        HugepageMemBp = 9500,
        GoalTuner = (ulong)DamosQuotaGoalTuner.Temporal,
        Quota = HugepageParams.Default.Quota with { Sz = 8 * MiB, ResetIntervalMs = 100 },
    };

    public static ThpPolicy Never { get; } = new("thp-never", "transparent_hugepage=never, no DAMON", false, ThpPolicyKind.None, BenchParams, ThpShrink.None);
    public static ThpPolicy Always { get; } = new("thp-always", "transparent_hugepage=always, no DAMON", true, ThpPolicyKind.None, BenchParams, ThpShrink.None);

    /// <summary>The policies of the bench table, baselines first.</summary>
    public static IReadOnlyList<ThpPolicy> All { get; } =
    [
        Never,
        Always,
        new("damos_hugepage", "thp=always; DAMON collapses hot, splits cold (frees never-touched subpages)", true, ThpPolicyKind.Module, BenchParams, ThpShrink.Split),
        new("damos_hugepage-move", "thp=always; DAMON collapses hot, moves cold THPs' used subpages out (Hildenbrand)", true, ThpPolicyKind.Module, BenchParams, ThpShrink.MoveOut),
        new("damos_hugepage-underused", "thp=always; as damos_hugepage, and underused THPs of accessed regions split too; collapse skips blocks over max_ptes_none", true, ThpPolicyKind.Module, BenchParams with { SplitUnderused = true }, ThpShrink.Split),
        new("damos_hugepage-underused-move", "as damos_hugepage-underused, the used subpages moved out instead of splitting in place", true, ThpPolicyKind.Module, BenchParams with { SplitUnderused = true }, ThpShrink.MoveOut),
        new("damos_hugepage-split-only", "thp=always; DAMON splits cold only", true, ThpPolicyKind.Module, BenchParams with { CollapseHot = false }, ThpShrink.Split),
        new("damos_hugepage-collapse-only", "thp=never; DAMON collapses hot only", false, ThpPolicyKind.Module, BenchParams with { SplitCold = false }, ThpShrink.None),
        new("huawei-top3", "thp=never; collapse hot areas of the 3 most CPU-intensive processes, re-chosen every second", false, ThpPolicyKind.TopCpu, BenchParams with { SplitCold = false, HugepageMemBp = 0 }, ThpShrink.None),
    ];

    /// <summary>The tuner study's policy: collapse only, on thp=never, toward <paramref name="targetBp"/>.</summary>
    public static ThpPolicy GoalStudy(DamosQuotaGoalTuner tuner, ulong targetBp) =>
        new($"collapse-{(tuner == DamosQuotaGoalTuner.Temporal ? "temporal" : "consist")}", "thp=never; collapse hot toward the hugepage_mem_bp target",
            false, ThpPolicyKind.Module, BenchParams with { SplitCold = false, HugepageMemBp = targetBp, GoalTuner = (ulong)tuner }, ThpShrink.None);
}
