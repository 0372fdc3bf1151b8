using Damon.Core.Util;

namespace Damon.Core.Sampling;

/// <summary>
/// damon_sample_control.primitives_enabled: how DAMON finds out that a sampled address was
/// accessed. <see cref="PageTable"/> is the accessed-bit check every DAMON has
/// (ops.check_accesses); <see cref="PageFault"/> makes each region's sampling page fault on its
/// next access and folds the reports (kdamond_check_reported_accesses). Exactly one is enabled.
/// </summary>
public readonly record struct DamonSamplePrimitives(bool PageTable, bool PageFault)
{
    /// <summary>The RFC's default: page_table only.</summary>
    public static DamonSamplePrimitives Default { get; } = new(PageTable: true, PageFault: false);
}

/// <summary>
/// damon_sample_control (access-reporting RFC): the sampling primitive and the sample filters that
/// decide which access reports count. Sysfs shows it as monitoring_attrs/sample/; here it is part
/// of <see cref="Monitoring.MonitoringAttrs"/> for the same reason, so it travels, is validated and
/// is committed with the other monitoring attributes. Immutable, compared by value.
/// </summary>
public sealed record DamonSampleControl
{
    public DamonSamplePrimitives PrimitivesEnabled { get; init; } = DamonSamplePrimitives.Default;

    /// <summary>sample_filters, evaluated in order with the DAMOS rule (docs/kernel-differences.md).</summary>
    public IReadOnlyList<DamonSampleFilter> SampleFilters { get; init; } = [];

    public static DamonSampleControl Default { get; } = new();

    /// <summary>Whether accesses come from reports (kdamond_check_reported_accesses) rather than ops.check_accesses.</summary>
    public bool UsesReports => PrimitivesEnabled.PageFault;

    /// <summary>
    /// What damon_commit_ctx rejects with -EINVAL: page_table == page_fault (both or neither enabled).
    /// </summary>
    public void Validate()
    {
        var p = PrimitivesEnabled;
        if (p.PageTable == p.PageFault)
            throw new DamonException(Errno.EINVAL,
                $"sample.primitives: exactly one of page_table and page_fault must be enabled ({(p.PageTable ? "both are" : "neither is")})");
    }

    public bool Equals(DamonSampleControl? other) =>
        other is not null && PrimitivesEnabled == other.PrimitivesEnabled && SampleFilters.SequenceEqual(other.SampleFilters);

    public override int GetHashCode() => HashCode.Combine(PrimitivesEnabled, SampleFilters.Count);
}
