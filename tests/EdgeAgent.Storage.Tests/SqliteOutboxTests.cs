using Microsoft.Data.Sqlite;

using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;
using EdgeAgent.TestSupport;
using static EdgeAgent.Storage.Tests.SampleReads;

namespace EdgeAgent.Storage.Tests;

public class SqliteOutboxTests
{
    [Fact]
    public void ReadUnsent_AfterAppends_ReturnsThemOldestFirst()
    {
        using var dir = new TempDirectory();
        using var outbox = new SqliteOutbox(dir.File("outbox.db"));
        long[] seqs = Enumerable.Range(1, 5).Select(n => outbox.Append(Read(n))).ToArray();
        Assert.Equal(seqs.Order(), seqs);
        var unsent = outbox.ReadUnsent(0, 10);
        Assert.Equal(seqs, unsent.Select(e => e.Seq));
        Assert.Equal(Read(3), unsent[2].Event);
        Assert.Equal(seqs[3..], outbox.ReadUnsent(seqs[2], 10).Select(e => e.Seq));
    }

    [Fact]
    public void MarkDelivered_SomeReads_LeavesOnlyTheRestUnsent()
    {
        using var dir = new TempDirectory();
        using var outbox = new SqliteOutbox(dir.File("outbox.db"));
        long[] seqs = Enumerable.Range(1, 4).Select(n => outbox.Append(Read(n))).ToArray();
        outbox.MarkDelivered([seqs[0], seqs[2]], DateTimeOffset.UtcNow);
        Assert.Equal([seqs[1], seqs[3]], outbox.ReadUnsent(0, 10).Select(e => e.Seq));
        var stats = outbox.GetStats();
        Assert.Equal(2, stats.Unsent);
        Assert.Equal(4, stats.Total);
        Assert.Equal(Read(2).Time, stats.OldestUnsent);
        Assert.True(stats.FileBytes > 0);
    }

    [Fact]
    public void Append_ThenReopen_KeepsEveryCommittedRead()
    {
        using var dir = new TempDirectory();
        string path = dir.File("outbox.db");
        using (var outbox = new SqliteOutbox(path))
            for (int n = 1; n <= 3; n++) outbox.Append(Read(n));
        using var reopened = new SqliteOutbox(path);
        Assert.Equal(3, reopened.GetStats().Unsent);
        Assert.Equal(Read(1), reopened.ReadUnsent(0, 1)[0].Event);
    }

    [Fact]
    public void Append_SameIdTwice_IsRefused()
    {
        using var dir = new TempDirectory();
        using var outbox = new SqliteOutbox(dir.File("outbox.db"));
        outbox.Append(Read(1));
        Assert.Throws<SqliteException>(() => outbox.Append(Read(1)));
        Assert.Equal(1, outbox.GetStats().Total);
    }

    [Fact]
    public void Open_Database_UsesWalAndFullSync()
    {
        using var dir = new TempDirectory();
        string path = dir.File("outbox.db");
        using var outbox = new SqliteOutbox(path);
        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using var command = check.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "PRAGMA user_version;";
        Assert.Equal((long)OutboxDatabase.SchemaVersion, command.ExecuteScalar());
    }

    [Fact]
    public void PurgeDelivered_OlderThanCutoff_DeletesOnlyThose()
    {
        using var dir = new TempDirectory();
        using var outbox = new SqliteOutbox(dir.File("outbox.db"));
        long a = outbox.Append(Read(1));
        long b = outbox.Append(Read(2));
        outbox.Append(Read(3));
        var now = DateTimeOffset.UtcNow;
        outbox.MarkDelivered([a], now.AddDays(-2));
        outbox.MarkDelivered([b], now);
        Assert.Equal(1, outbox.PurgeDelivered(now.AddDays(-1)));
        Assert.Equal(2, outbox.GetStats().Total);
    }

    [Fact]
    public void Open_UnwritableFolder_SaysWhatToCheck()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new SqliteOutbox("/proc/edgeagent/outbox.db"));
        Assert.Contains("Storage:Path", e.Message, StringComparison.Ordinal);
    }
}
