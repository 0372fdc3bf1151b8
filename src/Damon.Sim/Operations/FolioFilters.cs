using Damon.Core.Schemes;
using Damon.Sim.Machine;
using Damon.Sim.Memory;

namespace Damon.Sim.Operations;

/// <summary>damos_folio_filter_match: the ops-layer filter predicates on one folio of the machine.</summary>
internal static class FolioFilters
{
    public static bool Matches(SimMachine m, DamosFilter f, uint head)
    {
        var flags = m.Frames.GetFlags(head);
        switch (f.Type)
        {
            case DamosFilterType.Anon:
                return (flags & PageFlags.Anon) != 0;
            case DamosFilterType.Active:
                return (flags & PageFlags.Active) != 0;
            case DamosFilterType.Memcg:
                return m.MemcgIdOfIndex(m.Frames.MemcgIndex(head)) == f.MemcgId;
            case DamosFilterType.Young:
                // The test consumes the information: a young folio is made old.
                bool young = m.DamonYoung(head);
                if (young) m.DamonMkold(head);
                return young;
            case DamosFilterType.HugepageSize:
                ulong sz = (ulong)m.Frames.FolioNrPages(head) << PageSizes.PageShift;
                return f.SzRange.Min <= sz && sz <= f.SzRange.Max;
            case DamosFilterType.Unmapped:
                return (flags & PageFlags.Mapped) == 0;
            default:
                return false;
        }
    }

    /// <summary>damos_pa_filter_out / damos_va_filter_out for one folio, through the core's rule.</summary>
    public static bool FilterOut(SimMachine m, Damos s, uint head) =>
        DamosCore.OpsFilterOut(s, (m, head), static (f, folio) => Matches(folio.m, f, folio.head));
}
