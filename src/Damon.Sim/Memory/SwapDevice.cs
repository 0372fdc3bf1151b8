namespace Damon.Sim.Memory;

/// <summary>Swap slots for paged-out anonymous pages: a bump pointer plus a stack of freed slots.</summary>
public sealed class SwapDevice(ulong capacityPages)
{
    private readonly Stack<uint> _free = new();
    private uint _next;

    public ulong CapacityPages { get; } = Math.Min(capacityPages, PageTable.SwapBit - 1);
    public ulong NrUsed { get; private set; }
    public ulong NrSwapOuts { get; internal set; }
    public ulong NrSwapIns { get; internal set; }

    public bool TryAlloc(out uint slot)
    {
        if (_free.TryPop(out slot)) { NrUsed++; return true; }
        if (_next < CapacityPages) { slot = _next++; NrUsed++; return true; }
        slot = 0;
        return false;
    }

    public void Free(uint slot)
    {
        _free.Push(slot);
        NrUsed--;
    }
}
