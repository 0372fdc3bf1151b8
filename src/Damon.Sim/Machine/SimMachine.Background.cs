namespace Damon.Sim.Machine;

public sealed partial class SimMachine
{
    private readonly Dictionary<object, ulong> _backgroundNs = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Charge work done off the application's threads (a kdamond's DAMOS actions) to
    /// <paramref name="owner"/>'s account: it costs that context CPU time, not the workload.
    /// </summary>
    public void ChargeBackground(object owner, ulong ns)
    {
        _backgroundNs.TryGetValue(owner, out ulong cur);
        _backgroundNs[owner] = cur + ns;
    }

    public ulong BackgroundNs(object owner) => _backgroundNs.TryGetValue(owner, out ulong ns) ? ns : 0;

    /// <summary>
    /// Charge a synchronous cost (a policy that migrates in the fault path) to a thread: its clock
    /// moves on and the time counts as a memory stall.
    /// </summary>
    public void ChargeThread(int tid, ulong ns)
    {
        var th = Thread(tid);
        th.StallNs += ns;
        th.ClockNs += ns;
        PsiStallNs += ns;
    }
}
