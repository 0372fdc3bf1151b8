namespace Damon.Sim.Memory;

/// <summary>
/// The free frames of one node: never-used frames handed out from a bump pointer, freed 4 KiB
/// frames and freed 2 MiB blocks on stacks. Free memory is counted exactly; fragmentation shows up
/// only as "no whole 2 MiB block left", when THP allocation falls back to base pages.
/// </summary>
public sealed class NodeFrames
{
    private readonly Stack<uint> _free4k = new();
    private readonly Stack<uint> _freeHuge = new();
    private uint _bump;

    public NodeFrames(int nid, uint baseFrame, uint nrFrames)
    {
        Nid = nid;
        BaseFrame = baseFrame;
        NrFrames = nrFrames;
        _bump = baseFrame;
        NrFree = nrFrames;
    }

    public int Nid { get; }
    public uint BaseFrame { get; }
    public uint NrFrames { get; }
    public uint EndFrame => BaseFrame + NrFrames;
    public ulong NrFree { get; private set; }
    public ulong NrUsed => NrFrames - NrFree;

    public bool Contains(uint frame) => frame >= BaseFrame && frame < EndFrame;

    public bool TryAlloc4k(out uint frame)
    {
        if (_free4k.TryPop(out frame)) { NrFree--; return true; }
        if (_bump < EndFrame) { frame = _bump++; NrFree--; return true; }
        if (_freeHuge.TryPop(out uint huge))
        {
            for (uint i = PageSizes.ThpPages - 1; i >= 1; i--)
                _free4k.Push(huge + i);
            frame = huge;
            NrFree--;
            return true;
        }
        frame = 0;
        return false;
    }

    public bool TryAllocHuge(out uint head)
    {
        if (_freeHuge.TryPop(out head)) { NrFree -= PageSizes.ThpPages; return true; }
        uint aligned = (_bump + PageSizes.ThpPages - 1) & ~(PageSizes.ThpPages - 1);
        if (aligned + PageSizes.ThpPages <= EndFrame)
        {
            for (uint f = _bump; f < aligned; f++)
                _free4k.Push(f);
            _bump = aligned + PageSizes.ThpPages;
            head = aligned;
            NrFree -= PageSizes.ThpPages;
            return true;
        }
        head = 0;
        return false;
    }

    public void Free4k(uint frame)
    {
        _free4k.Push(frame);
        NrFree++;
    }

    public void FreeHuge(uint head)
    {
        _freeHuge.Push(head);
        NrFree += PageSizes.ThpPages;
    }
}
