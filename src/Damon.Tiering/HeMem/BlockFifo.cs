namespace Damon.Tiering.HeMem;

/// <summary>
/// One of pebs.c's fifo_lists of 2 MiB pages (block keys): enqueue at the tail, dequeue at the
/// head, and page_list_remove_page from anywhere, each O(1).
/// </summary>
internal sealed class BlockFifo
{
    private readonly LinkedList<ulong> _list = new();
    private readonly Dictionary<ulong, LinkedListNode<ulong>> _nodes = [];

    public int Count => _list.Count;
    public bool Contains(ulong key) => _nodes.ContainsKey(key);

    /// <summary>enqueue_fifo; a block already listed keeps its place.</summary>
    public void Enqueue(ulong key)
    {
        if (!_nodes.ContainsKey(key))
            _nodes[key] = _list.AddLast(key);
    }

    /// <summary>dequeue_fifo: the oldest entry, or null.</summary>
    public ulong? Dequeue()
    {
        if (_list.First is not { } n) return null;
        Remove(n.Value);
        return n.Value;
    }

    /// <summary>page_list_remove_page.</summary>
    public bool Remove(ulong key)
    {
        if (!_nodes.Remove(key, out var n)) return false;
        _list.Remove(n);
        return true;
    }

    /// <summary>A snapshot in list order, for walks that move entries to other lists.</summary>
    public List<ulong> ToList() => [.. _list];
}
