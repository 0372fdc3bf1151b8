using Damon.Modules.Common;

namespace Damon.Modules.Samples;

/// <summary>
/// The mtier sample's parameters (<c>damon_sample_mtier.*</c>, samples/damon/mtier.c): node 0 is
/// the fast tier, node 1 the slow one.
/// </summary>
public sealed record MtierParams : IModuleParams<MtierParams>
{
    /// <summary><c>enabled</c> (older: <c>enable</c>): whether the sample should run; N by default.</summary>
    public bool Enabled { get; init; }
    /// <summary><c>node0_start_addr</c>: physical start of node 0, monitored for demotion; 0 by default.</summary>
    public ulong Node0StartAddr { get; init; }
    /// <summary><c>node0_end_addr</c>: physical end (exclusive) of node 0; 0 by default.</summary>
    public ulong Node0EndAddr { get; init; }
    /// <summary><c>node1_start_addr</c>: physical start of node 1, monitored for promotion; 0 by default.</summary>
    public ulong Node1StartAddr { get; init; }
    /// <summary><c>node1_end_addr</c>: physical end (exclusive) of node 1; 0 by default.</summary>
    public ulong Node1EndAddr { get; init; }
    /// <summary>
    /// <c>node0_mem_used_bp</c>: node 0 used memory, in basis points, the promotion quota is tuned
    /// toward; 9,970 (99.7%) by default.
    /// </summary>
    public ulong Node0MemUsedBp { get; init; } = 9970;
    /// <summary>
    /// <c>node0_mem_free_bp</c>: node 0 free memory, in basis points, the demotion quota is tuned
    /// toward; 50 (0.5%) by default.
    /// </summary>
    public ulong Node0MemFreeBp { get; init; } = 50;
    /// <summary>
    /// <c>detect_node_addresses</c>: take each node's range from its PFN span instead of the
    /// address parameters; N by default.
    /// </summary>
    public bool DetectNodeAddresses { get; init; }

    public static string ModuleName => "damon_sample_mtier";
    public static MtierParams Default { get; } = new();

    public static IReadOnlyList<ModuleParam<MtierParams>> Params { get; } =
    [
        ModuleParam<MtierParams>.Bool("enabled", p => p.Enabled, (p, v) => p with { Enabled = v }),
        ModuleParam<MtierParams>.ULong("node0_start_addr", p => p.Node0StartAddr, (p, v) => p with { Node0StartAddr = v }),
        ModuleParam<MtierParams>.ULong("node0_end_addr", p => p.Node0EndAddr, (p, v) => p with { Node0EndAddr = v }),
        ModuleParam<MtierParams>.ULong("node1_start_addr", p => p.Node1StartAddr, (p, v) => p with { Node1StartAddr = v }),
        ModuleParam<MtierParams>.ULong("node1_end_addr", p => p.Node1EndAddr, (p, v) => p with { Node1EndAddr = v }),
        ModuleParam<MtierParams>.ULong("node0_mem_used_bp", p => p.Node0MemUsedBp, (p, v) => p with { Node0MemUsedBp = v }),
        ModuleParam<MtierParams>.ULong("node0_mem_free_bp", p => p.Node0MemFreeBp, (p, v) => p with { Node0MemFreeBp = v }),
        ModuleParam<MtierParams>.Bool("detect_node_addresses", p => p.DetectNodeAddresses, (p, v) => p with { DetectNodeAddresses = v }),
    ];

    /// <summary>The address checks are made per context in <see cref="MtierSample.BuildContext"/>, once ranges are known.</summary>
    public void Validate() { }
}
