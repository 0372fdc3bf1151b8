using Damon.Config.Schema;

namespace Damon.Host.Contract;

/// <summary>Kdamonds specs the cases start and commit: one vaddr context on one process.</summary>
public static class ContractSpecs
{
    public static KdamondsSpec Vaddr(int pid, ulong sampleUs, ulong aggrUs, params SchemeSpec[] schemes) => Vaddr([pid], sampleUs, aggrUs, schemes);

    public static KdamondsSpec Vaddr(IReadOnlyList<int> pids, ulong sampleUs, ulong aggrUs, params SchemeSpec[] schemes) => new()
    {
        Kdamonds =
        [
            new KdamondSpec
            {
                Contexts =
                [
                    new ContextSpec
                    {
                        Ops = "vaddr",
                        Targets = pids.Select(p => new TargetSpec { Pid = p }).ToList(),
                        Intervals = new IntervalsSpec { SampleUs = sampleUs, AggrUs = aggrUs, OpsUpdateUs = 1_000_000 },
                        Schemes = [.. schemes],
                    },
                ],
            },
        ],
    };

    /// <summary>A stat scheme for every region: it tries every region and applies to none (no action).</summary>
    public static SchemeSpec StatEverything(ulong quotaSzBytes = 0) => new()
    {
        Action = "stat",
        Quotas = new QuotasSpec { SzBytes = quotaSzBytes, ResetIntervalMs = 1000 },
    };
}
