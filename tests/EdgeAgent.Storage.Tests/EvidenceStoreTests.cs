using Microsoft.Data.Sqlite;

using EdgeAgent.Core.Ports;
using EdgeAgent.Storage.Evidence;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Storage.Tests;

public class EvidenceStoreTests
{
    private static byte[] Marked(string marker, int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        System.Text.Encoding.ASCII.GetBytes(marker).CopyTo(bytes, size / 2);
        return bytes;
    }

    [Fact]
    public void Store_ThenFind_ReturnsTheImages()
    {
        using var dir = new TempDirectory();
        using var store = new SqliteEvidenceStore(dir.File("outbox.db"));
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        var evidence = new EvidenceRecord("01JD0000000000000000000001", at, [1, 2, 3], [4, 5], "{\"faces\":1}");
        store.Store(evidence);
        EvidenceRecord? found = store.Find(evidence.ReadId);
        Assert.NotNull(found);
        Assert.Equal(evidence.PlateJpeg, found.PlateJpeg);
        Assert.Equal(evidence.OverviewJpeg, found.OverviewJpeg);
        Assert.Equal(at, found.CapturedAt);
        Assert.Null(store.Find("01JD0000000000000000000002"));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void PurgeCapturedBefore_OldImages_GoneFromTheDatabaseAndWalFiles()
    {
        using var dir = new TempDirectory();
        string path = dir.File("outbox.db");
        var now = DateTimeOffset.UtcNow;
        using (var store = new SqliteEvidenceStore(path))
        {
            store.Store(new EvidenceRecord("01JD0000000000000000000001", now.AddHours(-80), Marked("OLD-PLATE-IMAGE", 2000), Marked("OLD-OVERVIEW-IMAGE", 20000), "{}"));
            store.Store(new EvidenceRecord("01JD0000000000000000000002", now, Marked("NEW-PLATE-IMAGE", 2000), null, "{}"));
            Assert.Equal(1, store.PurgeCapturedBefore(now.AddHours(-72)));
            Assert.Null(store.Find("01JD0000000000000000000001"));
            Assert.NotNull(store.Find("01JD0000000000000000000002"));

            // secure_delete and the WAL checkpoint: the purged bytes are not in any file of the buffer.
            foreach (string file in Directory.EnumerateFiles(dir.Path))
            {
                byte[] content = File.ReadAllBytes(file);
                Assert.True(content.AsSpan().IndexOf("OLD-OVERVIEW-IMAGE"u8) < 0, $"purged overview still in {file}");
                Assert.True(content.AsSpan().IndexOf("OLD-PLATE-IMAGE"u8) < 0, $"purged plate crop still in {file}");
            }
        }
    }

    [Fact]
    public void Open_VersionOneOutbox_MigratesToVersionTwoKeepingItsReads()
    {
        using var dir = new TempDirectory();
        string path = dir.File("outbox.db");
        using (var v1 = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            v1.Open();
            using SqliteCommand create = v1.CreateCommand();
            create.CommandText =
                "CREATE TABLE reads (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, event TEXT NOT NULL, delivered_at INTEGER);" +
                "INSERT INTO reads (id, created_at, event) VALUES ('x', 1, '{}'); PRAGMA user_version=1;";
            create.ExecuteNonQuery();
        }
        using var store = new SqliteEvidenceStore(path);
        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using SqliteCommand query = check.CreateCommand();
        query.CommandText = "SELECT (SELECT count(*) FROM reads), (SELECT count(*) FROM evidence), (SELECT user_version FROM pragma_user_version)";
        using SqliteDataReader reader = query.ExecuteReader();
        reader.Read();
        Assert.Equal(1, reader.GetInt64(0));
        Assert.Equal(0, reader.GetInt64(1));
        Assert.Equal(OutboxDatabase.SchemaVersion, reader.GetInt64(2));
        Assert.True(OutboxDatabase.SchemaVersion >= 2);
    }

    [Fact]
    public void PurgeOldestOver_OverTheCap_DeletesOldestFirstUntilItFits()
    {
        using var dir = new TempDirectory();
        using var store = new SqliteEvidenceStore(dir.File("outbox.db"));
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        for (int i = 0; i < 10; i++)
            store.Store(new EvidenceRecord($"01JD{i:D22}", start.AddMinutes(i), new byte[1000], new byte[9000], "{}"));
        Assert.Equal(100_000, store.Bytes);
        Assert.Equal(0, store.PurgeOldestOver(100_000));
        Assert.Equal(4, store.PurgeOldestOver(65_000));
        Assert.Equal(60_000, store.Bytes);
        Assert.Null(store.Find($"01JD{3:D22}"));
        Assert.NotNull(store.Find($"01JD{4:D22}"));
    }
}
