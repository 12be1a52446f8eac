using Microsoft.Data.Sqlite;

using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Reads;

namespace EdgeAgent.Storage;

// Several reads in one transaction: one WAL commit and so one fsync (synchronous=FULL) for the batch instead
// of one per read, with the same prepared INSERT the single append uses.
public sealed partial class SqliteOutbox
{
    /// <summary>
    /// Commits the reads in ONE transaction, in order (their sequence numbers ascend as the reads do). If the
    /// transaction fails (a full disk, a refused row) it is rolled back whole, nothing of it counts, and each
    /// read is then appended on its own exactly as <see cref="Append"/> does: a full disk evicts older reads to
    /// make room for it, and a read that still cannot be stored keeps none of the others out. The size cap
    /// and the disk watch are applied once, after the batch; evictions are raised after the commit.
    /// </summary>
    public OutboxBatchResult AppendBatch(ReadOnlySpan<PlateReadEvent> reads, Span<long> seqs)
    {
        if (seqs.Length < reads.Length) throw new ArgumentException($"{seqs.Length} sequence slot(s) for {reads.Length} read(s)", nameof(seqs));
        seqs = seqs[..reads.Length];
        seqs.Clear();
        if (reads.IsEmpty) return default;
        OutboxBatchResult result;
        lock (_gate)
            result = TryAppendInOneTransaction(reads, seqs) ? new OutboxBatchResult(reads.Length, 1, null) : AppendOneByOne(reads, seqs);
        AfterAppend();
        return result;
    }

    // Under the lock. True when every read committed; false when the transaction was rolled back (seqs cleared).
    // Plain prepared BEGIN/COMMIT rather than a SqliteTransaction: nothing to allocate per batch, and the
    // rollback can ask SQLite whether a transaction is still open (it may have rolled back itself).
    private bool TryAppendInOneTransaction(ReadOnlySpan<PlateReadEvent> reads, Span<long> seqs)
    {
        try
        {
            _begin.ExecuteNonQuery();   // BEGIN IMMEDIATE: the write lock from the start
        }
        catch (SqliteException)
        {
            return false;
        }
        try
        {
            for (int i = 0; i < reads.Length; i++)
            {
                Bind(reads[i]);
                _append.ExecuteNonQuery();
                seqs[i] = (long)_lastSeq.ExecuteScalar()!;
            }
            _commit.ExecuteNonQuery();   // the one WAL commit (and fsync) of the batch
            return true;
        }
        catch (SqliteException)
        {
            // None of the batch is in: the caller stores the reads one at a time.
            seqs.Clear();
            RollBackIfOpen();
            return false;
        }
        catch
        {
            seqs.Clear();
            RollBackIfOpen();
            throw;
        }
    }

    // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR may): a second
    // ROLLBACK would fail, so only roll back what is still open.
    private void RollBackIfOpen()
    {
        if (SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) == 0) _rollback.ExecuteNonQuery();
    }

    // Under the lock: the single append's path for each read, so a full disk behaves as it does for one read.
    private OutboxBatchResult AppendOneByOne(ReadOnlySpan<PlateReadEvent> reads, Span<long> seqs)
    {
        int accepted = 0;
        SqliteException? failure = null;
        for (int i = 0; i < reads.Length; i++)
        {
            try
            {
                Bind(reads[i]);
                seqs[i] = AppendMakingRoom();
                accepted++;
            }
            catch (SqliteException e)
            {
                failure ??= e;
            }
        }
        return new OutboxBatchResult(accepted, accepted, failure);
    }

    /// <summary>Tests only: caps the file at <paramref name="pages"/> pages, so that writes past it fail with SQLITE_FULL as on a full disk.</summary>
    internal void LimitPagesForTests(long pages)
    {
        lock (_gate) Execute($"PRAGMA max_page_count={pages};");
    }
}
