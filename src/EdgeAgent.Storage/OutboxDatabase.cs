using Microsoft.Data.Sqlite;

namespace EdgeAgent.Storage;

/// <summary>Opens the outbox file, sets the durability pragmas and migrates the schema.</summary>
internal static class OutboxDatabase
{
    /// <summary>Persisted: bump only with a migration below, never edit a shipped step.</summary>
    internal const int SchemaVersion = 2;

    public static SqliteConnection Open(string path)
    {
        try
        {
            string? folder = Path.GetDirectoryName(path);
            if (folder is not null) Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable(path, e);
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,  // one long-lived connection; pooling would keep the file open after Dispose
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection,
                // WAL: readers never block the writer. FULL: the WAL is fsynced at every commit, so a read
                // acknowledged to the pipeline survives a power cut (NORMAL could lose the last commits).
                "PRAGMA journal_mode=WAL;",
                "PRAGMA synchronous=FULL;",
                "PRAGMA busy_timeout=5000;",
                "PRAGMA foreign_keys=ON;",
                // Deleted rows (purged evidence images, delivered reads) are overwritten, not left in free pages.
                "PRAGMA secure_delete=ON;");
            Migrate(connection);
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw Unavailable(path, e);
        }
    }

    private static InvalidOperationException Unavailable(string path, Exception e) =>
        new($"the outbox {path} could not be opened: {e.Message}. Check Storage:Path, the folder's permissions and free disk space.", e);

    public static long FileBytes(string path)
    {
        long total = 0;
        foreach (string file in new[] { path, path + "-wal", path + "-shm" })
            if (File.Exists(file)) total += new FileInfo(file).Length;
        return total;
    }

    private static void Migrate(SqliteConnection connection)
    {
        using SqliteTransaction transaction = connection.BeginTransaction();
        long version = Scalar(connection, "PRAGMA user_version;");
        if (version > SchemaVersion)
            throw new InvalidOperationException($"the outbox schema is version {version}, newer than this agent's {SchemaVersion}: upgrade the agent");
        if (version < 1)
        {
            Execute(connection,
                """
                CREATE TABLE reads (
                    seq          INTEGER PRIMARY KEY AUTOINCREMENT,  -- send order, oldest first
                    id           TEXT NOT NULL UNIQUE,               -- ULID, the backend's dedupe key
                    created_at   INTEGER NOT NULL,                   -- unix ms of the read
                    event        TEXT NOT NULL,                      -- the hashed event (JSON); never a raw plate
                    delivered_at INTEGER                             -- unix ms of the PUBACK; NULL while unsent
                );
                """,
                "CREATE INDEX reads_unsent ON reads(seq) WHERE delivered_at IS NULL;",
                "CREATE INDEX reads_delivered ON reads(delivered_at) WHERE delivered_at IS NOT NULL;");
        }
        if (version < 2)
        {
            // Evidence images (redacted JPEGs) of a read, kept apart from the read with their own retention.
            Execute(connection,
                """
                CREATE TABLE evidence (
                    read_id       TEXT PRIMARY KEY,      -- the read (ULID) the images belong to
                    captured_at   INTEGER NOT NULL,      -- unix ms of the read; retention counts from here
                    plate_jpeg    BLOB,                  -- redacted plate crop, at most 3 KB
                    overview_jpeg BLOB,                  -- redacted overview, at most 25 KB
                    redaction     TEXT NOT NULL          -- what was filled (JSON counts), for the disclosure record
                );
                """,
                "CREATE INDEX evidence_captured ON evidence(captured_at);");
        }
        Execute(connection, $"PRAGMA user_version={SchemaVersion};");
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, params string[] statements)
    {
        foreach (string sql in statements)
        {
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
