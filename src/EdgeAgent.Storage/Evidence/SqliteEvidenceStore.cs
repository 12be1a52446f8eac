using Microsoft.Data.Sqlite;

using EdgeAgent.Core.Ports;

namespace EdgeAgent.Storage.Evidence;

/// <summary>
/// Evidence images in the outbox's SQLite file (table <c>evidence</c>, schema version 2), on a connection
/// of their own so that image writes never hold up the outbox. secure_delete is on, and a purge ends with a
/// WAL checkpoint that truncates the WAL: a purged image is overwritten in the database and does not
/// linger in the WAL file either.
/// </summary>
public sealed class SqliteEvidenceStore : IEvidenceStore, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    public SqliteEvidenceStore(string outboxPath)
    {
        Path = System.IO.Path.GetFullPath(outboxPath);
        _connection = OutboxDatabase.Open(Path);
    }

    public string Path { get; }

    public void Store(EvidenceRecord evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        lock (_gate)
        {
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText =
                "INSERT OR REPLACE INTO evidence (read_id, captured_at, plate_jpeg, overview_jpeg, redaction) VALUES ($id, $at, $plate, $overview, $redaction)";
            command.Parameters.AddWithValue("$id", evidence.ReadId);
            command.Parameters.AddWithValue("$at", evidence.CapturedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$plate", (object?)evidence.PlateJpeg ?? DBNull.Value);
            command.Parameters.AddWithValue("$overview", (object?)evidence.OverviewJpeg ?? DBNull.Value);
            command.Parameters.AddWithValue("$redaction", evidence.Redaction);
            command.ExecuteNonQuery();
        }
    }

    public EvidenceRecord? Find(string readId)
    {
        lock (_gate)
        {
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = "SELECT captured_at, plate_jpeg, overview_jpeg, redaction FROM evidence WHERE read_id = $id";
            command.Parameters.AddWithValue("$id", readId);
            using SqliteDataReader reader = command.ExecuteReader();
            if (!reader.Read()) return null;
            return new EvidenceRecord(readId, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1),
                reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2),
                reader.GetString(3));
        }
    }

    public int PurgeCapturedBefore(DateTimeOffset cutoff)
    {
        lock (_gate)
        {
            int deleted;
            using (SqliteCommand command = _connection.CreateCommand())
            {
                command.CommandText = "DELETE FROM evidence WHERE captured_at < $cutoff";
                command.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
                deleted = command.ExecuteNonQuery();
            }
            if (deleted > 0) Checkpoint();
            return deleted;
        }
    }

    public int PurgeOldestOver(long maxBytes)
    {
        lock (_gate)
        {
            long total = BytesLocked();
            if (total <= maxBytes) return 0;
            // Oldest first, until what is left fits: the newest evidence is the most likely to be asked for.
            var doomed = new List<string>();
            using (SqliteCommand command = _connection.CreateCommand())
            {
                command.CommandText = "SELECT read_id, length(coalesce(plate_jpeg, x'')) + length(coalesce(overview_jpeg, x'')) FROM evidence ORDER BY captured_at, read_id";
                using SqliteDataReader reader = command.ExecuteReader();
                while (total > maxBytes && reader.Read())
                {
                    doomed.Add(reader.GetString(0));
                    total -= reader.GetInt64(1);
                }
            }
            using (SqliteTransaction transaction = _connection.BeginTransaction())
            using (SqliteCommand delete = _connection.CreateCommand())
            {
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM evidence WHERE read_id = $id";
                SqliteParameter id = delete.Parameters.Add("$id", SqliteType.Text);
                foreach (string readId in doomed)
                {
                    id.Value = readId;
                    delete.ExecuteNonQuery();
                }
                transaction.Commit();
            }
            if (doomed.Count > 0) Checkpoint();
            return doomed.Count;
        }
    }

    public long Bytes
    {
        get
        {
            lock (_gate) return BytesLocked();
        }
    }

    private long BytesLocked()
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(length(coalesce(plate_jpeg, x'')) + length(coalesce(overview_jpeg, x''))), 0) FROM evidence";
        return (long)command.ExecuteScalar()!;
    }

    public long Count
    {
        get
        {
            lock (_gate)
            {
                using SqliteCommand command = _connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM evidence";
                return (long)command.ExecuteScalar()!;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate) _connection.Dispose();
    }

    // Moves the WAL into the database and truncates it, so deleted pages' old copies leave the WAL file. When
    // the outbox's connection is mid-transaction the checkpoint stops short (busy) and the next purge finishes it.
    private void Checkpoint()
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }
}
