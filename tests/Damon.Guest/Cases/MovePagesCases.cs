using Damon.Guest.Native;

namespace Damon.Guest.Cases;

/// <summary>move_pages(2) from .NET moves real pages between the guest's nodes.</summary>
public static class MovePagesCases
{
    private const long BufferBytes = 16L << 20;

    public static IEnumerable<GuestCase> All() =>
    [
        new("move_pages/16mib_node0_node1_node0", RoundTrip),
    ];

    private static CaseResult RoundTrip(GuestContext ctx)
    {
        int nrPages = (int)(BufferBytes / MovePages.PageSize);
        nint buf = MovePages.MapTouched(BufferBytes);
        try
        {
            var status = new int[nrPages];
            MovePages.Call(buf, nrPages, null, status);
            string? wrong = AllOn(status, 0, "after the first touch");
            if (wrong is not null) return CaseResult.Fail(wrong);
            foreach (int target in new[] { 1, 0 })
            {
                long notMoved = MovePages.Call(buf, nrPages, target, status);
                if (notMoved != 0) return CaseResult.Fail($"move_pages to node{target} left {notMoved} of {nrPages} pages");
                Array.Fill(status, int.MinValue);
                MovePages.Call(buf, nrPages, null, status);
                wrong = AllOn(status, target, $"after move_pages to node{target}");
                if (wrong is not null) return CaseResult.Fail(wrong);
            }
            return CaseResult.Pass();
        }
        finally
        {
            MovePages.Unmap(buf, BufferBytes);
        }
    }

    private static string? AllOn(int[] status, int node, string when)
    {
        int on = status.Count(s => s == node);
        if (on == status.Length) return null;
        var others = status.Where(s => s != node).GroupBy(s => s).Select(g => $"{g.Count()} on {(g.Key < 0 ? $"errno {-g.Key}" : $"node{g.Key}")}");
        return $"{when}: {on} of {status.Length} pages on node{node}, {string.Join(", ", others)}";
    }
}
