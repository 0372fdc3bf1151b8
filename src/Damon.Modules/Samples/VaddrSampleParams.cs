using Damon.Modules.Common;

namespace Damon.Modules.Samples;

/// <summary>The prcl sample's parameters (<c>damon_sample_prcl.*</c>, samples/damon/prcl.c).</summary>
public sealed record PrclParams : IModuleParams<PrclParams>
{
    /// <summary><c>enabled</c> (older: <c>enable</c>): whether the sample should run; N by default.</summary>
    public bool Enabled { get; init; }
    /// <summary><c>target_pid</c>: the process to monitor and proactively reclaim; 0 (none) by default.</summary>
    public int TargetPid { get; init; }

    public static string ModuleName => "damon_sample_prcl";
    public static PrclParams Default { get; } = new();

    public static IReadOnlyList<ModuleParam<PrclParams>> Params { get; } =
    [
        ModuleParam<PrclParams>.Bool("enabled", p => p.Enabled, (p, v) => p with { Enabled = v }),
        ModuleParam<PrclParams>.Int("target_pid", p => p.TargetPid, (p, v) => p with { TargetPid = v }),
    ];

    /// <summary>find_get_pid finds no process for a pid of 0 or below.</summary>
    public void Validate()
    {
        if (TargetPid <= 0)
            throw new ModuleParamException("target_pid", $"must name a process (is {TargetPid})");
    }
}

/// <summary>The wsse sample's parameters (<c>damon_sample_wsse.*</c>, samples/damon/wsse.c).</summary>
public sealed record WsseParams : IModuleParams<WsseParams>
{
    /// <summary><c>enabled</c> (older: <c>enable</c>): whether the sample should run; N by default.</summary>
    public bool Enabled { get; init; }
    /// <summary><c>target_pid</c>: the process whose working set size is estimated; 0 (none) by default.</summary>
    public int TargetPid { get; init; }

    public static string ModuleName => "damon_sample_wsse";
    public static WsseParams Default { get; } = new();

    public static IReadOnlyList<ModuleParam<WsseParams>> Params { get; } =
    [
        ModuleParam<WsseParams>.Bool("enabled", p => p.Enabled, (p, v) => p with { Enabled = v }),
        ModuleParam<WsseParams>.Int("target_pid", p => p.TargetPid, (p, v) => p with { TargetPid = v }),
    ];

    public void Validate()
    {
        if (TargetPid <= 0)
            throw new ModuleParamException("target_pid", $"must name a process (is {TargetPid})");
    }
}
