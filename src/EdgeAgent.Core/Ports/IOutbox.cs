using EdgeAgent.Core.Reads;

namespace EdgeAgent.Core.Ports;

/// <summary>A read waiting in (or delivered from) the outbox. <see cref="Seq"/> orders reads oldest first.</summary>
public sealed record OutboxEntry(long Seq, DateTimeOffset CreatedAt, PlateReadEvent Event);

/// <summary>
/// What <see cref="IOutbox.AppendBatch"/> did: how many of the reads were accepted (committed), in how many
/// transactions (1 when the batch committed whole), and the first error that kept a read out (null when none did).
/// </summary>
public readonly record struct OutboxBatchResult(int Accepted, int Transactions, Exception? Failure);

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

    /// <summary>
    /// Commits several reads, in order; <paramref name="seqs"/>[i] gets the sequence number of
    /// <paramref name="reads"/>[i], or 0 when that read was not accepted. A read is accepted only once its
    /// transaction committed; a read that cannot be stored does not keep the others out. The default appends
    /// them one at a time; stores override it with one transaction for the batch.
    /// </summary>
    OutboxBatchResult AppendBatch(ReadOnlySpan<PlateReadEvent> reads, Span<long> seqs)
    {
        if (seqs.Length < reads.Length) throw new ArgumentException($"{seqs.Length} sequence slot(s) for {reads.Length} read(s)", nameof(seqs));
        int accepted = 0;
        Exception? failure = null;
        for (int i = 0; i < reads.Length; i++)
        {
            try
            {
                seqs[i] = Append(reads[i]);
                accepted++;
            }
#pragma warning disable CA1031 // the read stays out and is reported; the rest of the batch still goes in
            catch (Exception e)
#pragma warning restore CA1031
            {
                seqs[i] = 0;
                failure ??= e;
            }
        }
        return new OutboxBatchResult(accepted, accepted, failure);
    }

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
