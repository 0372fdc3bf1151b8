namespace Damon.Core.Schemes;

/// <summary>damos_action, in the G2 order. Names are the sysfs action names.</summary>
public enum DamosAction
{
    Willneed,
    Cold,
    Pageout,
    Hugepage,
    Nohugepage,
    Collapse,
    LruPrio,
    LruDeprio,
    MigrateHot,
    MigrateCold,
    Stat,
}

public static class DamosActions
{
    private static readonly string[] Names =
    [
        "willneed", "cold", "pageout", "hugepage", "nohugepage", "collapse",
        "lru_prio", "lru_deprio", "migrate_hot", "migrate_cold", "stat",
    ];

    public static string SysfsName(this DamosAction a) => Names[(int)a];

    public static bool TryParse(string name, out DamosAction action)
    {
        int i = Array.IndexOf(Names, name);
        action = (DamosAction)Math.Max(i, 0);
        return i >= 0;
    }
}
