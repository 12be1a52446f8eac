using EdgeAgent.Core.Reads;

namespace EdgeAgent.Core.Ports;

/// <summary>A read waiting in (or delivered from) the outbox. <see cref="Seq"/> orders reads oldest first.</summary>
public sealed record OutboxEntry(long Seq, DateTimeOffset CreatedAt, PlateReadEvent Event);

/// <summary>What the outbox holds now (for health, drain and tests).</summary>
public sealed record OutboxStats(long Unsent, long Total, DateTimeOffset? OldestUnsent, long FileBytes);

/// <summary>
/// The durable buffer between reading and sending. A read is committed before it is published and marked
/// delivered on PUBACK; what is unsent survives restarts and power cuts. Implementations are thread-safe.
/// </summary>
public interface IOutbox
{
    /// <summary>Commits a read durably and returns its sequence number.</summary>
    long Append(PlateReadEvent read);

    /// <summary>Undelivered reads with a sequence above <paramref name="afterSeq"/>, oldest first.</summary>
    IReadOnlyList<OutboxEntry> ReadUnsent(long afterSeq, int max);

    /// <summary>Marks reads delivered (the broker acknowledged them).</summary>
    void MarkDelivered(IReadOnlyCollection<long> seqs, DateTimeOffset at);

    OutboxStats GetStats();

    /// <summary>
    /// The newest committed read's sequence number (0 when empty): the forwarder takes it at each connect, and
    /// everything up to it is backlog, sent as historical. The default reads the unsent list; stores override it.
    /// </summary>
    long NewestSeq() => ReadUnsent(0, int.MaxValue) is { Count: > 0 } unsent ? unsent[^1].Seq : 0;
}
