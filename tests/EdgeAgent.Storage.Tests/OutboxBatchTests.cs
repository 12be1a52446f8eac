using Microsoft.Data.Sqlite;

using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Reads;
using EdgeAgent.TestSupport;

using Xunit.Abstractions;
using static EdgeAgent.Storage.Tests.SampleReads;

namespace EdgeAgent.Storage.Tests;

public class OutboxBatchTests(ITestOutputHelper output)
{
    private static PlateReadEvent[] Reads(int from, int count) => Enumerable.Range(from, count).Select(Read).ToArray();

    [Fact]
    public void AppendBatch_Reads_CommitsThemInOneTransactionKeepingTheirOrderAndIds()
    {
        using var dir = new TempDirectory();
        string path = dir.File("outbox.db");
        PlateReadEvent[] reads = Reads(1, 8);
        var seqs = new long[8];
        using (var outbox = new SqliteOutbox(path))
        {
            outbox.Append(Read(100));   // something before: the batch's numbers follow it
            OutboxBatchResult result = outbox.AppendBatch(reads, seqs);

            Assert.Equal(new OutboxBatchResult(8, 1, null), result);
            Assert.Equal(Enumerable.Range(2, 8).Select(s => (long)s), seqs);
        }
        using var reopened = new SqliteOutbox(path);   // committed: on disk, not only in this connection
        var unsent = reopened.ReadUnsent(1, 100);
        Assert.Equal(seqs, unsent.Select(e => e.Seq));
        Assert.Equal(reads, unsent.Select(e => e.Event));
    }

    [Fact]
    public void AppendBatch_OneReadRefused_NothingOfTheTransactionStaysAndEveryOtherReadIsStoredAndReported()
    {
        using var dir = new TempDirectory();
        using var outbox = new SqliteOutbox(dir.File("outbox.db"));
        long first = outbox.Append(Read(4));
        PlateReadEvent[] reads = Reads(1, 8);   // the 4th is already in: its row is refused (UNIQUE id)
        var seqs = new long[8];

        OutboxBatchResult result = outbox.AppendBatch(reads, seqs);

        // Had the failed transaction left reads 1-3 in, storing them again one at a time would have been refused too.
        Assert.Equal(7, result.Accepted);
        Assert.Equal(7, result.Transactions);
        var failure = Assert.IsType<SqliteException>(result.Failure);
        Assert.Contains("UNIQUE", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, seqs[3]);
        long[] stored = [.. seqs[..3], .. seqs[4..]];
        Assert.Equal(stored.Order(), stored);
        Assert.True(stored[0] > first);
        var unsent = outbox.ReadUnsent(0, 100);
        Assert.Equal([first, .. stored], unsent.Select(e => e.Seq));
        Assert.Equal([Read(4), .. reads[..3], .. reads[4..]], unsent.Select(e => e.Event));
        Assert.Equal(8, outbox.GetStats().Total);
    }

    [Fact]
    public void AppendBatch_DiskFullMidBatch_EvictsTheOldestBacklogAndStoresEveryReadOfTheBatch()
    {
        using var dir = new TempDirectory();
        using var outbox = new SqliteOutbox(dir.File("outbox.db"));
        var evictions = new List<OutboxEviction>();
        outbox.Evicted += evictions.Add;
        for (int n = 1; n <= 300; n++) outbox.Append(Read(n));   // a backlog, unsent
        outbox.LimitPagesForTests(1);   // the file may not grow any more: the next new page fails with SQLITE_FULL
        PlateReadEvent[] reads = Reads(1001, 64);
        var seqs = new long[64];

        OutboxBatchResult result = outbox.AppendBatch(reads, seqs);

        Assert.Null(result.Failure);
        Assert.Equal(64, result.Accepted);
        Assert.Equal(64, result.Transactions);   // the batch was refused whole, then each read went in on its own
        Assert.Equal(Enumerable.Range(301, 64).Select(s => (long)s), seqs);
        Assert.NotEmpty(evictions);
        Assert.All(evictions, e => Assert.Equal(EvictionReason.DiskFull, e.Reason));
        Assert.All(evictions, e => Assert.True(e.LastSeq <= 300, e.Describe()));   // only the older backlog was given up
        long evicted = evictions.Sum(e => e.UnsentEvicted);
        Assert.Equal(evicted, outbox.EvictedUnsent);
        var unsent = outbox.ReadUnsent(0, 1000);
        Assert.Equal(Enumerable.Range((int)evicted + 1, 364 - (int)evicted).Select(s => (long)s), unsent.Select(e => e.Seq));   // oldest first, gap-free
        Assert.Equal(reads, unsent.TakeLast(64).Select(e => e.Event));
    }

    [Fact]
    public void AppendBatch_OverMaxBytes_AppliesTheCapAfterTheBatchAndKeepsTheBatch()
    {
        using var dir = new TempDirectory();
        using var outbox = new SqliteOutbox(dir.File("outbox.db"));
        var evictions = new List<OutboxEviction>();
        outbox.Evicted += evictions.Add;
        outbox.Limits = new OutboxLimits { MaxBytes = 256 * 1024 };
        var seqs = new long[64];
        int n = 0;
        while (evictions.Count == 0 && n < 20_000)
        {
            Assert.Equal(64, outbox.AppendBatch(Reads(n + 1, 64), seqs).Accepted);
            n += 64;
        }

        OutboxEviction e = Assert.Single(evictions);
        Assert.Equal(EvictionReason.OverCap, e.Reason);
        Assert.True(e.LastSeq < seqs[0], e.Describe());   // the batch that went over the cap is kept whole
        Assert.True(outbox.LiveBytes() <= 256 * 1024 * 0.9, e.Describe());
        Assert.Equal(n - e.UnsentEvicted, outbox.GetStats().Unsent);
    }

    [Fact]
    public void AppendBatch_Empty_DoesNothing()
    {
        using var dir = new TempDirectory();
        using var outbox = new SqliteOutbox(dir.File("outbox.db"));
        Assert.Equal(default, outbox.AppendBatch([], []));
        Assert.Throws<ArgumentException>(() => outbox.AppendBatch(Reads(1, 2), new long[1]));
        Assert.Equal(0, outbox.GetStats().Total);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(64)]
    public void AppendBatch_SteadyState_AllocatesABoundedAmountPerRead(int batch)
    {
        using var dir = new TempDirectory();
        using var outbox = new SqliteOutbox(dir.File("outbox.db"));
        const int Batches = 12, Attempts = 3;
        PlateReadEvent[] reads = Reads(1, batch * (2 + Batches * Attempts));
        var seqs = new long[batch];
        outbox.AppendBatch(reads.AsSpan(0, batch), seqs);   // warm: JIT, the statements' first steps
        outbox.AppendBatch(reads.AsSpan(batch, batch), seqs);

        int next = 2;   // each measurement appends reads not yet stored
        long least = ThreadAllocations.Least(() =>
        {
            for (int b = 0; b < Batches; b++, next++) outbox.AppendBatch(reads.AsSpan(next * batch, batch), seqs);
        }, attempts: Attempts);
        double perRead = least / (double)(Batches * batch);

        output.WriteLine($"batches of {batch}: {perRead:0} bytes allocated per read");
        // The event's JSON (about 500 chars, twice: UTF-16 string and the UTF-8 SQLite gets) and a few boxed
        // parameters per read, plus a constant per batch: nothing that grows with the outbox or the batch.
        Assert.True(perRead < PerReadBudget, $"{perRead:0} bytes allocated per read in batches of {batch}");
    }

    private const int PerReadBudget = 4096;
}
