namespace Damon.Core.Operations;

/// <summary>damon_ops_id. The sysfs names are "vaddr", "fvaddr" and "paddr".</summary>
public enum OperationsId
{
    Vaddr = 0,
    Fvaddr = 1,
    Paddr = 2,
}

public static class OperationsIds
{
    /// <summary>NR_DAMON_OPS.</summary>
    public const int NrDamonOps = 3;

    public static string SysfsName(this OperationsId id) => id switch
    {
        OperationsId.Vaddr => "vaddr",
        OperationsId.Fvaddr => "fvaddr",
        OperationsId.Paddr => "paddr",
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "not a DAMON operations id"),
    };

    public static bool TryParse(string name, out OperationsId id)
    {
        switch (name)
        {
            case "vaddr": id = OperationsId.Vaddr; return true;
            case "fvaddr": id = OperationsId.Fvaddr; return true;
            case "paddr": id = OperationsId.Paddr; return true;
            default: id = default; return false;
        }
    }
}
