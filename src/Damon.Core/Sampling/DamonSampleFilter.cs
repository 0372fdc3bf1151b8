namespace Damon.Core.Sampling;

/// <summary>damon_sample_filter_type: what a sample filter tests of an access report.</summary>
public enum DamonSampleFilterType
{
    /// <summary>DAMON_FILTER_TYPE_CPUMASK: the reporting CPU is in <see cref="DamonSampleFilter.Cpumask"/>.</summary>
    Cpumask,
    /// <summary>DAMON_FILTER_TYPE_THREADS: the reporting thread is in <see cref="DamonSampleFilter.TidArr"/>.</summary>
    Threads,
    /// <summary>DAMON_FILTER_TYPE_WRITE: the access is a write.</summary>
    Write,
}

public static class DamonSampleFilterTypes
{
    // The hack tree's sysfs type names (monitoring_attrs/sample/filters/<N>/type).
    private static readonly string[] Names = ["cpumask", "threads", "write"];

    public static string SysfsName(this DamonSampleFilterType t) => Names[(int)t];

    public static bool TryParse(string name, out DamonSampleFilterType type)
    {
        int i = Array.IndexOf(Names, name);
        type = (DamonSampleFilterType)Math.Max(i, 0);
        return i >= 0;
    }

    public static IReadOnlyList<string> AllNames => Names;
}

/// <summary>
/// damon_sample_filter: applies to reports that do (<see cref="Matching"/>) or do not have the
/// property <see cref="Type"/> names; <see cref="Allow"/> keeps them, otherwise they are dropped
/// before folding. Immutable, compared by value (a commit keeps a running context's attrs when
/// only equal filters are given).
/// </summary>
public sealed record DamonSampleFilter(DamonSampleFilterType Type, bool Matching, bool Allow)
{
    /// <summary>cpumask: the CPUs a `cpumask` filter matches.</summary>
    public DamonCpumask Cpumask { get; init; } = DamonCpumask.Empty;

    /// <summary>tid_arr (nr_tids is its length): the threads a `threads` filter matches.</summary>
    public IReadOnlyList<int> TidArr { get; init; } = [];

    /// <summary>damon_sample_filter_match: whether the report has the property, before `matching` is applied.</summary>
    public bool HasProperty(in DamonAccessReport r) => Type switch
    {
        DamonSampleFilterType.Cpumask => Cpumask.Test(r.Cpu),
        DamonSampleFilterType.Threads => ContainsTid(r.Tid),
        DamonSampleFilterType.Write => r.IsWrite,
        _ => false,
    };

    /// <summary>Whether the filter applies to the report: its property compared with <see cref="Matching"/>.</summary>
    public bool Matches(in DamonAccessReport r) => HasProperty(r) == Matching;

    private bool ContainsTid(int tid)
    {
        for (int i = 0; i < TidArr.Count; i++)
            if (TidArr[i] == tid) return true;
        return false;
    }

    public bool Equals(DamonSampleFilter? other) =>
        other is not null && Type == other.Type && Matching == other.Matching && Allow == other.Allow
        && Cpumask.Equals(other.Cpumask) && TidArr.SequenceEqual(other.TidArr);

    public override int GetHashCode() => HashCode.Combine(Type, Matching, Allow, Cpumask, TidArr.Count);

    public override string ToString()
    {
        string arg = Type switch
        {
            DamonSampleFilterType.Cpumask => " " + Cpumask,
            DamonSampleFilterType.Threads => " " + string.Join(',', TidArr),
            _ => "",
        };
        return $"{(Allow ? "allow" : "reject")} {(Matching ? "" : "none ")}{Type.SysfsName()}{arg}";
    }
}
