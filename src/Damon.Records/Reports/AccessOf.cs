using System.Globalization;
using Damon.Records.Model;

namespace Damon.Records.Reports;

/// <summary>
/// <c>--access_of KEY</c>: reports that count only the accesses one CPU, node or thread made, or
/// only writes or only reads. Each region's nr_accesses becomes the samples its breakdown
/// attributes to the key (its percent is derived again), so the heatmap, the access report and
/// everything computed from nr_accesses show that key's accesses alone. Ages stay the region's:
/// they say how long its whole pattern held, which the heatmap's back-fill keeps using.
/// </summary>
public sealed record AccessOf(BreakdownKind Kind, int Key)
{
    public const string Syntax = "cpu=N, node=N, tid=N, write or read";

    /// <summary>Parses <c>cpu=3</c>, <c>node=1</c>, <c>tid=101</c>, <c>write</c>, <c>read</c>; null with <paramref name="error"/> otherwise.</summary>
    public static AccessOf? TryParse(string text, out string error)
    {
        error = "";
        switch (text)
        {
            case "write": return new AccessOf(BreakdownKind.Rw, 1);
            case "read": return new AccessOf(BreakdownKind.Rw, 0);
        }
        int eq = text.IndexOf('=');
        string name = eq < 0 ? text : text[..eq];
        BreakdownKind? kind = name switch
        {
            "cpu" => BreakdownKind.Cpu,
            "node" => BreakdownKind.Node,
            "tid" or "thread" => BreakdownKind.Thread,
            _ => null,
        };
        if (kind is null)
        {
            error = $"not one of {Syntax}";
            return null;
        }
        if (eq < 0 || !int.TryParse(text[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int key))
        {
            error = $"{name} takes a non-negative number ({name}=N)";
            return null;
        }
        return new AccessOf(kind.Value, key);
    }

    /// <summary>
    /// Copies of <paramref name="records"/> whose regions count only this key's accesses; refuses
    /// records without the breakdown (or, for a node, without cpu_to_node).
    /// </summary>
    public List<DamonRecord> Apply(IReadOnlyList<DamonRecord> records)
    {
        AccessBreakdowns.Require(records, nodes: Kind == BreakdownKind.Node);
        var copies = records.Select(r => r.Clone()).ToList();
        foreach (var record in copies)
            foreach (var snapshot in record.Snapshots)
                foreach (var region in snapshot.Regions)
                {
                    region.NrAccessesSamples = AccessBreakdowns.Counts(region.AccessesBy!, record, Kind).GetValueOrDefault(Key);
                    region.NrAccessesPercent = null;
                }
        return copies;
    }
}
