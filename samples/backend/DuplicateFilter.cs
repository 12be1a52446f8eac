namespace EdgeAgent.BackendSample;

/// <summary>
/// Drops reads already seen. The agent sends each read at least once, with the same id after a retry, so a
/// backend must make delivery idempotent. Here: the last N ids in memory. A real backend does the same with a
/// unique key on the id column, which also survives its own restarts.
/// </summary>
public sealed class DuplicateFilter(int capacity = 1_000_000)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>True the first time an id is offered, false for every repeat.</summary>
    public bool IsNew(string id)
    {
        if (!_seen.Add(id)) return false;
        _order.Enqueue(id);
        if (_order.Count > capacity) _seen.Remove(_order.Dequeue());
        return true;
    }
}
