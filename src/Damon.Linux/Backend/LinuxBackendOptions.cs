using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Linux.Backend.Snapshots;
using Damon.Linux.Backend.UserMode;
using Damon.Linux.Sysfs;

namespace Damon.Linux.Backend;

/// <summary>Who runs the schemes.</summary>
public enum LinuxBackendMode
{
    /// <summary>The kernel runs everything; Damon configures, snapshots and reports.</summary>
    Kernel,
    /// <summary>The kernel monitors; Damon reads its regions each aggregation and runs DAMOS itself.</summary>
    User,
}

/// <summary>
/// How a <see cref="LinuxBackend"/> is set up. Only <see cref="Mode"/> and <see cref="Tree"/> are
/// required; the rest default to the real system (CLOCK_MONOTONIC, /proc, /sys, move_pages).
/// </summary>
public sealed class LinuxBackendOptions
{
    public LinuxBackendMode Mode { get; init; }

    /// <summary>The DAMON admin tree: <see cref="SysfsRoot.Open"/> (which applies the write-safety rule) or a fake.</summary>
    public required ISysfsTree Tree { get; init; }

    /// <summary>Clock and waits between snapshots; real time by default.</summary>
    public IKernelPacer? Pacer { get; init; }

    /// <summary>User mode's action layer; by default move_pages/process_madvise on the real processes.</summary>
    public IUserModeActions? Actions { get; init; }

    /// <summary>
    /// User mode, paddr targets: the processes whose pages Damon may act on. Null: every process
    /// but Damon's own (the default action layer only).
    /// </summary>
    public IReadOnlyList<int>? PaddrPids { get; init; }

    /// <summary>Metrics for user mode's quota goals and watermarks; LinuxMetrics (/proc, /sys) by default.</summary>
    public IDamonMetrics? Metrics { get; init; }

    /// <summary>The physical memory map paddr targets without regions default to; /proc/iomem by default.</summary>
    public IMemoryLayout? Layout { get; init; }

    /// <summary>Where one-line notices go (a dropped target, the failure counts at the end).</summary>
    public TextWriter Notices { get; init; } = Console.Error;

    /// <summary>Seed of user mode's in-process contexts (their random generator is unused by DAMOS but kept reproducible).</summary>
    public ulong Seed { get; init; }
}
