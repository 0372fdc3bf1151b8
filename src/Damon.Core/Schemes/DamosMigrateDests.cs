namespace Damon.Core.Schemes;

/// <summary>
/// damos_migrate_dests: weighted destination nodes for migrate_hot/migrate_cold; when non-empty it
/// overrides target_nid (vaddr).
/// </summary>
public sealed class DamosMigrateDests
{
    public int[] NodeIdArr { get; set; } = [];
    public uint[] WeightArr { get; set; } = [];
    public int NrDests => NodeIdArr.Length;
}
