namespace EdgeAgent.Transport;

/// <summary>
/// One recipient of the reads under the sharing policy: the topic its reads go to and the fields it may
/// receive. A read counts as delivered only once every route's broker PUBACK has come.
/// </summary>
public sealed record ReadRoute(string Recipient, string Topic, IReadOnlySet<string> Fields);

/// <summary>
/// The messages in flight when one read goes to several recipients: message id to read, and per read how
/// many of its messages still await their PUBACK. Owned by the forwarder's loop (not thread-safe).
/// </summary>
internal sealed class FanOutWindow
{
    private readonly Dictionary<int, long> _readOfMessage = [];
    private readonly Dictionary<long, int> _awaiting = [];
    private readonly HashSet<long> _refused = [];

    /// <summary>Messages awaiting a PUBACK.</summary>
    public int Count => _readOfMessage.Count;

    public void Sent(int mid, long seq)
    {
        _readOfMessage[mid] = seq;
        _awaiting[seq] = _awaiting.GetValueOrDefault(seq) + 1;
    }

    /// <summary>True when <paramref name="mid"/> is a read's message of this connection; it is then no longer in flight.</summary>
    public bool Remove(int mid, out long seq) => _readOfMessage.Remove(mid, out seq);

    /// <summary>An accepted PUBACK: true when it was the read's last one and no recipient refused it (the read is delivered).</summary>
    public bool Accepted(long seq)
    {
        int left = _awaiting.GetValueOrDefault(seq) - 1;
        if (left > 0)
        {
            _awaiting[seq] = left;
            return false;
        }
        _awaiting.Remove(seq);
        return !_refused.Remove(seq);
    }

    /// <summary>A refused PUBACK: the read stays unsent (and goes to every recipient again later, same id).</summary>
    public void Refused(long seq)
    {
        int left = _awaiting.GetValueOrDefault(seq) - 1;
        if (left > 0)
        {
            _awaiting[seq] = left;
            _refused.Add(seq);
        }
        else
        {
            _awaiting.Remove(seq);
            _refused.Remove(seq);
        }
    }

    public void Clear()
    {
        _readOfMessage.Clear();
        _awaiting.Clear();
        _refused.Clear();
    }
}
