using Damon.Core.Monitoring;
using Damon.Sim.Machine;

namespace Damon.Sim.Running;

/// <summary>
/// A kdamond's clock in a simulation: simulated time plus the background work the context's DAMOS
/// actions were charged. The driver's clock stands still while a scheme applies, so without this
/// a time quota (quota ms) would see every action take no time.
/// </summary>
public sealed class ChargedClock(IDamonClock simClock, SimMachine machine, object owner) : IDamonClock
{
    public ulong NowNs => simClock.NowNs + machine.BackgroundNs(owner);
}
