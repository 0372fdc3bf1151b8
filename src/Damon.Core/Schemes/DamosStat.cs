namespace Damon.Core.Schemes;

/// <summary>
/// damos_stat. "Tried" counts every region handed to the action path (after core filters);
/// "applied" counts what the operations set actually changed.
/// </summary>
public sealed class DamosStat
{
    public ulong NrTried { get; set; }
    public ulong SzTried { get; set; }
    public ulong NrApplied { get; set; }
    public ulong SzApplied { get; set; }
    public ulong SzOpsFilterPassed { get; set; }
    /// <summary>Quota reset windows that ended with the quota full.</summary>
    public ulong QtExceeds { get; set; }
    /// <summary>Apply rounds that reached the last region of a target.</summary>
    public ulong NrSnapshots { get; set; }

    public DamosStat Clone() => (DamosStat)MemberwiseClone();
}
