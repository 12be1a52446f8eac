using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;
using EdgeAgent.TestSupport;
using static EdgeAgent.Storage.Tests.SampleReads;

namespace EdgeAgent.Storage.Tests;

public class OutboxCapacityTests
{
    [Fact]
    public void Append_ManyReads_TheWalStaysBounded()
    {
        using var dir = new TempDirectory();
        using var outbox = new SqliteOutbox(dir.File("outbox.db"));
        for (int n = 1; n <= 600; n++) outbox.Append(Read(n));
        long wal = new FileInfo(dir.File("outbox.db-wal")).Length;
        Assert.True(wal <= 1_200_000, $"WAL is {wal} bytes after 600 appends; db {new FileInfo(dir.File("outbox.db")).Length}");
    }

    [Fact]
    public void Append_OverMaxBytes_EvictsDeliveredFirstThenOldestUnsentAndCountsThem()
    {
        using var dir = new TempDirectory();
        using var outbox = new SqliteOutbox(dir.File("outbox.db"));
        var evictions = new List<OutboxEviction>();
        outbox.Evicted += evictions.Add;
        outbox.Limits = new OutboxLimits { MaxBytes = 256 * 1024 };
        int n = 0;
        while (evictions.Count == 0 && n < 20_000)
        {
            long seq = outbox.Append(Read(++n));
            if (n <= 50) outbox.MarkDelivered([seq], DateTimeOffset.UtcNow);   // the first 50 were sent
        }

        OutboxEviction e = Assert.Single(evictions);
        Assert.Equal(EvictionReason.OverCap, e.Reason);
        Assert.Equal(50, e.DeliveredPurged);
        Assert.True(e.UnsentEvicted > 0);
        Assert.Equal(51, e.FirstSeq);   // the oldest unsent went first
        Assert.True(e.LiveBytesAfter <= 256 * 1024 * 0.9, e.Describe());
        Assert.Equal(e.UnsentEvicted, outbox.EvictedUnsent);
        Assert.Equal(e.LastSeq + 1, outbox.ReadUnsent(0, 1)[0].Seq);   // what is left is the newest, gap-free
        Assert.Equal(n - 50 - e.UnsentEvicted, outbox.GetStats().Unsent);
    }

    [Fact]
    public void Limits_Invalid_RefusedNamingTheProblem()
    {
        using var dir = new TempDirectory();
        using var outbox = new SqliteOutbox(dir.File("outbox.db"));
        var e = Assert.Throws<ArgumentException>(() => outbox.Limits = new OutboxLimits { MaxBytes = 100 });
        Assert.Contains("MaxBytes 100", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnforceLimits_LowDisk_EvictsOnlyWhenTheFileWouldHaveToGrow()
    {
        using var dir = new TempDirectory();
        using var outbox = new SqliteOutbox(dir.File("outbox.db"));
        for (int n = 1; n <= 400; n++) outbox.Append(Read(n));
        long free = 10_000;   // the disk is nearly full
        outbox.Limits = new OutboxLimits { MinFreeBytes = 1_000_000, FreeBytesProbe = _ => free };

        Assert.True(outbox.EvictedUnsent > 0);   // a compact file with no room left: the oldest went
        long after = outbox.EvictedUnsent;
        Assert.Null(outbox.EnforceLimits());      // now there are free pages inside the file: nothing more to do
        Assert.Equal(after, outbox.EvictedUnsent);
        Assert.Equal(after + 1, outbox.ReadUnsent(0, 1)[0].Seq);
    }
}
