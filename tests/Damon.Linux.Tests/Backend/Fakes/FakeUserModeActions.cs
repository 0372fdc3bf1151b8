using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Linux.Backend.UserMode;

namespace Damon.Linux.Tests.Backend.Fakes;

/// <summary>
/// An action layer that applies every byte it is handed (or the share <see cref="ApplyPermil"/>
/// says) and logs each call, so tests state exactly which ranges user mode acted on.
/// </summary>
internal sealed class FakeUserModeActions : IUserModeActions
{
    public readonly List<(int Pid, ulong Start, ulong End, DamosAction Action, int Nid)> Calls = [];
    public readonly HashSet<int> Dead = [];
    /// <summary>Pids whose next action call finds the process gone (ESRCH) though IsAlive said yes.</summary>
    public readonly HashSet<int> VanishOnApply = [];
    public ulong ApplyPermil { get; set; } = 1000;

    public bool IsAlive(int pid) => !Dead.Contains(pid);

    public DamosActionResult ApplyVaddr(Target t, Region r, Damos s)
    {
        int pid = t.Pid;
        if (VanishOnApply.Contains(pid))
        {
            Dead.Add(pid);
            throw new TargetGoneException(pid);
        }
        return Apply(pid, r.Start, r.End, s);
    }

    public DamosActionResult ApplyPaddr(ulong start, ulong end, Damos s) => Apply(-1, start, end, s);

    public ulong PaddrBytesOnNode(ulong start, ulong end, int nid) => 0;

    public ulong PaddrLruBytes(ulong start, ulong end) => 0;

    public string? CheckScheme(Damos s, OperationsId ops) =>
        s.OpsFilters.Any(f => f.Type == DamosFilterType.Young) ? "filter 'young' cannot be evaluated: no page_idle bitmap" : null;

    public int NrApplyRounds { get; private set; }

    public void NewApplyRound() => NrApplyRounds++;

    private DamosActionResult Apply(int pid, ulong start, ulong end, Damos s)
    {
        Calls.Add((pid, start, end, s.Action, s.TargetNid));
        ulong applied = (end - start) * ApplyPermil / 1000 / 4096 * 4096;
        return new DamosActionResult(applied, s.OpsFilters.Count == 0 ? 0 : end - start);
    }

    public ulong AppliedBytes(DamosAction a) =>
        Calls.Where(c => c.Action == a).Aggregate(0UL, (sum, c) => sum + (c.End - c.Start) * ApplyPermil / 1000 / 4096 * 4096);
}
