using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using Damon.Tiering.Harness;
using Xunit;

namespace Damon.Tiering.Tests;

/// <summary>The local/remote split both the accessor meter and the placement use case measure with.</summary>
public class AccessLocalityTests
{
    [Fact]
    public void An_access_is_local_only_when_the_accessing_cpus_socket_node_served_it()
    {
        var spec = MachineFile.Load(Path.Combine(RepoPaths.Root(), "configs", "scenarios", "two-socket-cxl.machine.json"));
        var m = new SimMachine(spec);
        int pid = m.CreateProcess("app");
        var s0 = m.Thread(m.CreateThread(pid, spec.Sockets[0].Cpus[0]));
        var s1 = m.Thread(m.CreateThread(pid, spec.Sockets[1].Cpus[0]));
        ulong on0 = m.Mmap(pid, 4 * PageSizes.PageSize, MapFlags.Anon, new MemPolicy(MemPolicyMode.Bind, [0]));
        ulong on2 = m.Mmap(pid, PageSizes.PageSize, MapFlags.Anon, new MemPolicy(MemPolicyMode.Bind, [2]));
        for (ulong p = 0; p < 4; p++)
            m.RunBatch(s0, [new MemAccess(on0 + p * PageSizes.PageSize, true)], 0);
        for (int i = 0; i < 3; i++)
            m.RunBatch(s1, [new MemAccess(on0, false)], 0);
        m.RunBatch(s0, [new MemAccess(on2, false)], 0);
        m.RunBatch(s1, [new MemAccess(on2, false)], 0);

        Assert.Equal((4ul, 1ul), AccessLocality.Count(m, [s0]));
        Assert.Equal((0ul, 4ul), AccessLocality.Count(m, [s1]));
        Assert.Equal((4ul, 5ul), AccessLocality.Count(m, [s0, s1]));
        Assert.Equal((0ul, 0ul), AccessLocality.Count(m, []));
    }
}
