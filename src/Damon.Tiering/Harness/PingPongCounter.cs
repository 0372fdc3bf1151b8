using Damon.Sim.Machine;
using Damon.Tiering.Policy;

namespace Damon.Tiering.Harness;

/// <summary>
/// The harness's one definition of a ping-pong page: a page (pid, virtual page) that a policy or
/// the kernel migrates a second time between two of the counted nodes since it was placed, seen
/// migration by migration (<see cref="SimMachine.Migrated"/>). A scenario's own move places the
/// page afresh: its count restarts. The tiering rows count moves between the fast and the slow
/// node (<c>ping_pong_pages</c>), the accessor rows between two socket (DRAM) nodes
/// (<c>socket_ping_pong_pages</c>), each attributed to the movers of the page's first move and of
/// its move back. A THP counts its pages.
/// </summary>
public sealed class PingPongCounter
{
    private readonly bool[] _counted;
    private readonly SimMachine _m;
    private readonly ITieringPolicy _policy;
    // Per page: who moved it first between counted nodes, and how often it moved between them.
    private readonly Dictionary<ulong, (string First, int Moves)> _moves = [];
    private readonly SortedDictionary<string, ulong> _by = new(StringComparer.Ordinal);

    /// <param name="countedNodes">The nodes between which a move counts.</param>
    public PingPongCounter(SimMachine m, ITieringPolicy policy, IEnumerable<int> countedNodes)
    {
        _m = m;
        _policy = policy;
        _counted = new bool[m.NrNodes];
        foreach (int n in countedNodes) _counted[n] = true;
    }

    /// <summary>Pages that moved a second time, in all.</summary>
    public ulong Pages { get; private set; }

    /// <summary>The ping-pong pages by "first mover / mover that moved it back" (<see cref="MoverNames"/>); sums to <see cref="Pages"/>.</summary>
    public IReadOnlyDictionary<string, ulong> By => _by;

    /// <summary>One migration, with its mover's name as <see cref="MoverNames.Of"/> gives it.</summary>
    public void OnMigrated(FolioMigration e, string by)
    {
        ulong key = FramePages.PageKey(_m, e.NewHead);
        if (by == MoverNames.Scenario)
        {
            _moves.Remove(key);
            return;
        }
        if (!_counted[e.Src] || !_counted[e.Dst]) return;
        if (!_moves.TryGetValue(key, out var s))
        {
            _moves[key] = (by, 1);
            return;
        }
        if (s.Moves == 1)
        {
            string pair = $"{s.First} / {by}";
            _by[pair] = _by.GetValueOrDefault(pair) + e.NrPages;
            Pages += e.NrPages;
        }
        _moves[key] = (s.First, s.Moves + 1);
    }

    /// <summary>Watch <paramref name="m"/>'s migrations from now on; returns the handler to remove at the end.</summary>
    public Action<FolioMigration> Attach()
    {
        void Handler(FolioMigration e) => OnMigrated(e, MoverNames.Of(e.By, _policy));
        _m.Migrated += Handler;
        return Handler;
    }
}
