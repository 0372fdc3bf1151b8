using Damon.Core.Monitoring;

namespace Damon.Core.Operations;

/// <summary>
/// damon_register_ops / damon_select_ops: a fixed table indexed by <see cref="OperationsId"/>.
/// The kernel's table is global; here each engine instance owns one so tests and several engines
/// in one process do not interfere.
/// </summary>
public sealed class DamonOpsRegistry
{
    private readonly DamonOperations?[] _ops = new DamonOperations?[OperationsIds.NrDamonOps];
    private readonly Lock _lock = new();

    /// <summary>damon_register_ops: -EINVAL for an out-of-range id or an already-registered slot.</summary>
    public void Register(DamonOperations ops)
    {
        int id = (int)ops.Id;
        lock (_lock)
        {
            if (id < 0 || id >= OperationsIds.NrDamonOps)
                throw new DamonException(Errno.EINVAL, $"ops id {id}: must be below NR_DAMON_OPS ({OperationsIds.NrDamonOps})");
            if (_ops[id] is not null)
                throw new DamonException(Errno.EINVAL, $"ops id {ops.Id.SysfsName()}: already registered");
            _ops[id] = ops;
        }
    }

    /// <summary>Clear a slot (the KUnit test does this by zeroing the table entry).</summary>
    public void Unregister(OperationsId id)
    {
        lock (_lock)
        {
            if ((int)id >= 0 && (int)id < OperationsIds.NrDamonOps)
                _ops[(int)id] = null;
        }
    }

    /// <summary>damon_is_registered_ops.</summary>
    public bool IsRegistered(OperationsId id)
    {
        lock (_lock)
            return (int)id >= 0 && (int)id < OperationsIds.NrDamonOps && _ops[(int)id] is not null;
    }

    public DamonOperations? Get(OperationsId id)
    {
        lock (_lock)
            return (int)id >= 0 && (int)id < OperationsIds.NrDamonOps ? _ops[(int)id] : null;
    }

    /// <summary>damon_select_ops: -EINVAL for an unknown or unregistered id.</summary>
    public void Select(DamonContext ctx, OperationsId id)
    {
        var ops = Get(id) ?? throw new DamonException(Errno.EINVAL, $"ops id {(int)id}: not registered");
        ctx.Ops = ops;
    }
}
