using Microsoft.Data.Sqlite;

using EdgeAgent.Core.Contract;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Reads;

namespace EdgeAgent.Storage;

/// <summary>
/// The outbox in one SQLite file (WAL). A read is committed, with synchronous=FULL, before anything is
/// sent: a power cut after Append returns cannot lose it. Rows hold the hashed event only; the raw
/// registration never reaches this file. One connection behind a lock: every operation is short, and a
/// single writer is what SQLite wants.
/// </summary>
public sealed partial class SqliteOutbox : IOutbox, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private readonly SqliteCommand _append;
    private readonly SqliteCommand _readUnsent;
    private readonly SqliteCommand _markDelivered;
    private readonly SqliteCommand _lastSeq;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;

    public SqliteOutbox(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connection = OutboxDatabase.Open(Path);
        BoundWal();
        // No RETURNING: a prepared INSERT ... RETURNING read with ExecuteScalar is left un-reset, which holds a
        // read transaction open and so blocks every WAL checkpoint (the WAL then grows without bound).
        _append = Prepare("INSERT INTO reads (id, created_at, event) VALUES ($id, $created, $event)");
        _lastSeq = Prepare("SELECT last_insert_rowid()");
        _readUnsent = Prepare("SELECT seq, created_at, event FROM reads WHERE delivered_at IS NULL AND seq > $after ORDER BY seq LIMIT $max");
        _markDelivered = Prepare("UPDATE reads SET delivered_at = $at WHERE seq = $seq AND delivered_at IS NULL");
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
    }

    public string Path { get; }

    public long Append(PlateReadEvent read)
    {
        long seq;
        lock (_gate)
        {
            Bind(read);
            seq = AppendMakingRoom();
        }
        AfterAppend();
        return seq;
    }

    // Under the lock: the prepared INSERT's parameters for one read (the hashed event only).
    private void Bind(PlateReadEvent read)
    {
        ArgumentNullException.ThrowIfNull(read);
        _append.Parameters["$id"].Value = read.Id;
        _append.Parameters["$created"].Value = read.Time.ToUnixTimeMilliseconds();
        _append.Parameters["$event"].Value = ReadMessage.Serialize(read);
    }

    public IReadOnlyList<OutboxEntry> ReadUnsent(long afterSeq, int max)
    {
        lock (_gate)
        {
            _readUnsent.Parameters["$after"].Value = afterSeq;
            _readUnsent.Parameters["$max"].Value = max;
            var entries = new List<OutboxEntry>();
            using SqliteDataReader reader = _readUnsent.ExecuteReader();
            while (reader.Read())
                entries.Add(new OutboxEntry(reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                    ReadMessage.Deserialize(reader.GetString(2))));
            return entries;
        }
    }

    public void MarkDelivered(IReadOnlyCollection<long> seqs, DateTimeOffset at)
    {
        if (seqs.Count == 0) return;
        lock (_gate)
        {
            using SqliteTransaction transaction = _connection.BeginTransaction();
            _markDelivered.Transaction = transaction;
            _markDelivered.Parameters["$at"].Value = at.ToUnixTimeMilliseconds();
            foreach (long seq in seqs)
            {
                _markDelivered.Parameters["$seq"].Value = seq;
                _markDelivered.ExecuteNonQuery();
            }
            transaction.Commit();
            _markDelivered.Transaction = null;
        }
    }

    public OutboxStats GetStats()
    {
        lock (_gate)
        {
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText =
                "SELECT (SELECT count(*) FROM reads WHERE delivered_at IS NULL), (SELECT count(*) FROM reads), " +
                "(SELECT min(created_at) FROM reads WHERE delivered_at IS NULL)";
            using SqliteDataReader reader = command.ExecuteReader();
            reader.Read();
            DateTimeOffset? oldest = reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
            return new OutboxStats(reader.GetInt64(0), reader.GetInt64(1), oldest, OutboxDatabase.FileBytes(Path));
        }
    }

    /// <summary>Deletes delivered reads older than <paramref name="cutoff"/>; returns how many.</summary>
    public int PurgeDelivered(DateTimeOffset cutoff)
    {
        lock (_gate)
        {
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM reads WHERE delivered_at IS NOT NULL AND delivered_at < $cutoff";
            command.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _append.Dispose();
            _readUnsent.Dispose();
            _markDelivered.Dispose();
            _lastSeq.Dispose();
            _begin.Dispose();
            _commit.Dispose();
            _rollback.Dispose();
            _connection.Dispose();
        }
    }

    private SqliteCommand Prepare(string sql)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (string name in ParameterNames(sql)) command.Parameters.Add(new SqliteParameter(name, null));
        command.Prepare();
        return command;
    }

    private static IEnumerable<string> ParameterNames(string sql) =>
        System.Text.RegularExpressions.Regex.Matches(sql, @"\$[a-z]+").Select(m => m.Value).Distinct();
}
