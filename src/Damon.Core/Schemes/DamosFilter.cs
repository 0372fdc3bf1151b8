using Damon.Core.Monitoring;

namespace Damon.Core.Schemes;

/// <summary>damos_filter_type. Addr and Target are handled by the core; the rest by the ops set.</summary>
public enum DamosFilterType
{
    Anon,
    Active,
    Memcg,
    Young,
    HugepageSize,
    Unmapped,
    Addr,
    Target,
}

public static class DamosFilterTypes
{
    private static readonly string[] Names = ["anon", "active", "memcg", "young", "hugepage_size", "unmapped", "addr", "target"];

    public static string SysfsName(this DamosFilterType t) => Names[(int)t];

    public static bool TryParse(string name, out DamosFilterType type)
    {
        int i = Array.IndexOf(Names, name);
        type = (DamosFilterType)Math.Max(i, 0);
        return i >= 0;
    }

    /// <summary>damos_filter_for_ops: whether the operations set, not the core, evaluates it.</summary>
    public static bool IsOpsFilter(this DamosFilterType t) => t is not (DamosFilterType.Addr or DamosFilterType.Target);
}

/// <summary>
/// damos_filter: applies to memory that is (<see cref="Matching"/>) or is not of <see cref="Type"/>;
/// <see cref="Allow"/> includes it, otherwise it is excluded from the action.
/// </summary>
public sealed class DamosFilter(DamosFilterType type, bool matching, bool allow)
{
    public DamosFilterType Type { get; set; } = type;
    public bool Matching { get; set; } = matching;
    public bool Allow { get; set; } = allow;
    public ulong MemcgId { get; set; }
    public AddrRange AddrRange { get; set; }
    public int TargetIdx { get; set; }
    public SizeRange SzRange { get; set; }

    public DamosFilter Clone() => (DamosFilter)MemberwiseClone();

    public override string ToString() => $"{(Allow ? "allow" : "reject")} {(Matching ? "" : "none ")}{Type.SysfsName()}";
}
