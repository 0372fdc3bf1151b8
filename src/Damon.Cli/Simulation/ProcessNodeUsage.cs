using Damon.Sim.Machine;
using Damon.Sim.Memory;

namespace Damon.Cli.Simulation;

/// <summary>Resident pages of one process per node, found by walking its mappings (numastat -p).</summary>
internal sealed record ProcessNodeUsage(int Pid, string Name, ulong[] PagesPerNode)
{
    public static ProcessNodeUsage Of(SimMachine m, SimProcess p)
    {
        var pages = new ulong[m.NrNodes];
        foreach (var vma in p.Vmas)
        {
            for (ulong addr = vma.Start; addr < vma.End; addr += PageSizes.PageSize)
            {
                if (m.TryTranslate(p.Pid, addr, out uint frame))
                    pages[m.NodeOfFrame(frame)]++;
            }
        }
        return new ProcessNodeUsage(p.Pid, p.Name, pages);
    }
}
